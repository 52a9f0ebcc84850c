// The webhooks module: tenant endpoints subscribed to outbox event types, signed the Standard
// Webhooks way, delivered by a background dispatcher with retries, dead-lettering and a delivery
// log. README.md in this folder lists its tables, invariants, routes and events; docs/webhooks.md
// is the customer's guide.
#pragma once

#include "domains/webhooks/store.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/config/config.hpp"
#include "platform/http/router.hpp"

namespace omc::webhooks {

// Registers every route of the module (as module "webhooks" in src/app/modules.cpp). The
// references must outlive the router.
void RegisterWebhookRoutes(http::Router& router, IdGenerator& ids, const Clock& clock,
                           const config::Config& config);

// Parts of RegisterWebhookRoutes (endpoints.cpp, deliveries.cpp).
void RegisterEndpointRoutes(http::Router& router, const WebhookDeps& deps);
void RegisterDeliveryRoutes(http::Router& router, const WebhookDeps& deps);

}  // namespace omc::webhooks
