#pragma once
// extremad's configuration (docs/config.md), all of it: the key table, loading and validating
// TOML, the command-line flags, the SIGHUP diff, the docs reference and the start-up summary.
#include "config/config_error.h"      // ConfigError
#include "config/config_flags.h"      // ConfigOverrides, add_config_flags, apply_overrides
#include "config/config_keys.h"       // KeySpec, config_keys, find_key
#include "config/config_reference.h"  // render_config_reference_markdown
#include "config/describe_config.h"   // describe
#include "config/load_config.h"       // load_config, parse_config
#include "config/reload_plan.h"       // ReloadPlan, diff_for_reload, merge_reloadable
#include "config/setting_text.h"      // toml_literal, accepted_values
#include "config/validate_config.h"   // validate
