// Operations routes every process serves: liveness, readiness, Prometheus metrics and the
// OpenAPI document.
#pragma once

#include <string_view>

#include "app/modules.hpp"

namespace omc::embedded {
std::string_view OpenApiDocument();
}

namespace omc::app {

void RegisterPlatformRoutes(http::Router& router, ModuleDeps& deps);

}  // namespace omc::app
