#include "domains/payments/payments.hpp"

#include <utility>

namespace omc::payments {

std::shared_ptr<Poller> RegisterPayments(http::Router& router, PaymentsDeps deps) {
    auto payments = std::make_shared<Payments>(std::move(deps));
    RegisterProviderRoutes(router, payments);
    RegisterMomoRoutes(router, payments);
    RegisterReconciliationRoutes(router, payments);
    if (metrics::Registry* registry = payments->deps().metrics) {
        std::weak_ptr<Payments> weak = payments;
        registry->AddGauge("omc_payments_breakers_open",
                           "Payment-provider circuit breakers open or half-open (all tenants)",
                           [weak] {
                               const auto p = weak.lock();
                               return p ? static_cast<double>(p->breakers().OpenCount()) : 0.0;
                           });
        registry->AddGauge("omc_payments_tokens_fetched_total",
                           "Provider access tokens fetched (the rest came from the cache)", [weak] {
                               const auto p = weak.lock();
                               return p ? static_cast<double>(p->tokens().fetched_total()) : 0.0;
                           });
    }
    return std::make_shared<Poller>(std::move(payments));
}

}  // namespace omc::payments
