// `omc admin create-tenant`, `omc admin create-user`, `omc admin permissions` and `omc demo`:
// accounts made outside the API, printed once on the terminal.
#pragma once

#include <string>
#include <vector>

#include "app/demo_network.hpp"
#include "platform/config/config.hpp"

namespace omc::app {

int RunCreateTenant(const config::Config& config, const std::string& code, const std::string& name,
                    const std::string& admin_username, const std::string& admin_email);
// `tenant` is a tenant code, or "platform" for a SuperAdmin. An empty password generates one.
int RunCreateUser(const config::Config& config, const std::string& tenant,
                  const std::string& username, const std::string& email,
                  const std::string& display_name, const std::string& role,
                  const std::vector<std::string>& scope_ids, bool password_from_stdin);
int RunPrintPermissions();
// Creates the demo tenant with its station network and history (demo_network.hpp) and one user
// per role, and prints their passwords. When the tenant already has stations, nothing is
// regenerated: only the demo users get new passwords.
int RunDemo(const config::Config& config, const DemoOptions& options);

}  // namespace omc::app
