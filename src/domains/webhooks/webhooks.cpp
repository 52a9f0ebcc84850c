#include "domains/webhooks/webhooks.hpp"

namespace omc::webhooks {

void RegisterWebhookRoutes(http::Router& router, IdGenerator& ids, const Clock& clock,
                           const config::Config& config) {
    const WebhookDeps deps{.ids = &ids, .clock = &clock, .config = &config};
    RegisterEndpointRoutes(router, deps);
    RegisterDeliveryRoutes(router, deps);
}

}  // namespace omc::webhooks
