#include "platform/http/router.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <future>
#include <unordered_map>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/http/error_to_http.hpp"
#include "platform/http/idempotency.hpp"
#include "platform/http/rate_limiter.hpp"
#include "platform/http/static_site.hpp"
#include "platform/log/log.hpp"
#include "platform/log/metrics.hpp"

namespace omc::http {
namespace {

constexpr std::string_view kUnmatchedRoute = "unmatched";
// The metrics and access-log label of what the web console answered.
constexpr std::string_view kConsoleRoute = "console";

// One segment of a compiled pattern: a literal, or a {name} parameter.
struct Segment {
    std::string text;
    bool is_param = false;
};

// Routes of one segment count, indexed by their key segment (KeySegment): a request compares
// only the patterns whose key segment is its own text or a parameter, not every route of its
// length (with every module registered, most routes are /api/v1/<resource>/...).
struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
struct RouteBucket {
    std::unordered_map<std::string, std::vector<size_t>, StringHash, std::equal_to<>> by_key;
    std::vector<size_t> any;  // patterns with a parameter there
};

// The segment that tells routes of `count` segments apart: the third ("/api/v1/<resource>"),
// or the last of a shorter path.
size_t KeySegment(size_t count) { return std::min<size_t>(2, count - 1); }

std::vector<std::string_view> SplitPath(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path[0] != '/') return out;
    size_t start = 1;
    while (true) {
        const size_t slash = path.find('/', start);
        out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

std::vector<Segment> CompilePattern(std::string_view pattern) {
    ERP_INVARIANT(!pattern.empty() && pattern[0] == '/', "a route pattern starts with '/'");
    std::vector<Segment> out;
    for (std::string_view part : SplitPath(pattern)) {
        const bool is_param = part.size() > 2 && part.front() == '{' && part.back() == '}';
        if (is_param) {
            out.push_back({std::string(part.substr(1, part.size() - 2)), true});
        } else {
            ERP_INVARIANT(part.find_first_of("{}") == std::string_view::npos,
                          "a route parameter must be a whole segment: {name}");
            out.push_back({std::string(part), false});
        }
    }
    return out;
}

bool SegmentsMatch(const std::vector<Segment>& pattern, const std::vector<std::string_view>& path) {
    if (pattern.size() != path.size()) return false;
    for (size_t i = 0; i < path.size(); ++i) {
        if (pattern[i].is_param ? path[i].empty() : pattern[i].text != path[i]) return false;
    }
    return true;
}

// Literal segments win over parameters, leftmost first: /things/export beats /things/{id}.
bool MoreSpecific(const std::vector<Segment>& a, const std::vector<Segment>& b) {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i].is_param != b[i].is_param) return !a[i].is_param;
    }
    return false;
}

bool ValidRequestId(std::string_view id) {
    if (id.empty() || id.size() > kRequestIdMaxBytes) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool ValidIdempotencyKey(std::string_view key) {
    if (key.empty() || key.size() > kIdempotencyKeyMaxBytes) return false;
    for (char c : key) {
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `expected` ("application/json"), with or without parameters ("; charset=utf-8"), any case.
bool IsMediaType(std::string_view value, std::string_view expected) {
    const size_t semi = value.find(';');
    std::string_view media = value.substr(0, semi);
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
    while (!media.empty() && (media.front() == ' ' || media.front() == '\t'))
        media.remove_prefix(1);
    if (media.size() != expected.size()) return false;
    for (size_t i = 0; i < media.size(); ++i) {
        if (Lower(media[i]) != Lower(expected[i])) return false;
    }
    return true;
}

bool HasBodyMethod(Method m) {
    return m == Method::kPost || m == Method::kPut || m == Method::kPatch;
}

bool IsMutating(Method m) { return HasBodyMethod(m) || m == Method::kDelete; }

// The rate-limit and idempotency identity of the caller.
std::string ClientKey(const Request& request, const std::optional<Principal>& principal) {
    if (!principal) return "ip:" + request.client_address;
    return (principal->is_api_key ? "key:" : "user:") + principal->subject;
}

std::string AllowHeader(const std::vector<Method>& methods) {
    std::string out;
    for (Method m : methods) {
        if (!out.empty()) out += ", ";
        out += MethodName(m);
    }
    return out;
}

}  // namespace

std::string_view RateClassName(RateClass c) {
    switch (c) {
        case RateClass::kDefault:
            return "default";
        case RateClass::kAuth:
            return "auth";
        case RateClass::kWrite:
            return "write";
        case RateClass::kRead:
            return "read";
        case RateClass::kNone:
            return "none";
    }
    return "default";
}

// ---- RequestContext ----

RequestContext::~RequestContext() {
    if (tx_) tx_->Rollback();
}

std::optional<std::string_view> RequestContext::PathParam(std::string_view name) const {
    for (const auto& [key, value] : path_params_) {
        if (key == name) return std::string_view(value);
    }
    return std::nullopt;
}

const TenantId& RequestContext::tenant() const {
    ERP_INVARIANT(principal_.has_value(), "tenant() on a request without a principal");
    return principal_->tenant;
}

Result<db::Transaction*> RequestContext::Tx() {
    if (tx_) return tx_.get();
    ERP_INVARIANT(database_ != nullptr, "RequestContext::Tx() without a database");
    db::TxOptions options;
    if (principal_) {
        options.tenant = principal_->tenant;
    } else if (audit_.actor) {
        options.tenant = audit_.actor->tenant;  // a public route acting for a named tenant
    }
    options.read_only = request_.method == Method::kGet || request_.method == Method::kHead;
    OMC_ASSIGN_OR_RETURN(tx_, database_->Begin(options));
    tx_tenant_ = options.tenant;
    ERP_ASSERT(tx_ != nullptr, "Begin() returned a transaction");
    return tx_.get();
}

Result<Page> RequestContext::ParsePage() const {
    Page page;
    page.limit = kPageLimitDefault;
    if (auto limit = request_.QueryParam("limit")) {
        int value = 0;
        const char* end = limit->data() + limit->size();
        auto [ptr, ec] = std::from_chars(limit->data(), end, value);
        if (limit->empty() || ec != std::errc() || ptr != end || value < 1 ||
            value > kPageLimitMax) {
            return InvalidArgument("limit",
                                   fmt::format("must be an integer from 1 to {}", kPageLimitMax));
        }
        page.limit = value;
    }
    if (auto cursor = request_.QueryParam("cursor"); cursor && !cursor->empty()) {
        if (cursor->size() > kCursorMaxBytes) {
            return InvalidArgument("cursor",
                                   fmt::format("must be at most {} characters", kCursorMaxBytes));
        }
        page.cursor = std::move(*cursor);
    }
    return page;
}

// ---- Router ----

struct Router::Impl {
    // Parallel to Router::routes_; compiled once at Add().
    std::vector<std::vector<Segment>> patterns;
    // Route indices by segment count, so a request compares only patterns of its length.
    std::unordered_map<size_t, RouteBucket> by_length;
    std::atomic<bool> draining{false};
    std::atomic<int> in_flight{0};
};

namespace {

// Everything the pipeline stages share for one request.
struct Call {
    const Request& request;
    const std::string& request_id;
    const RouteMatch& match;
    RequestContext& ctx;
    std::optional<IdempotencyScope> idempotency;  // set once a claim was taken
    bool console = false;                         // answered by the web console
};

}  // namespace

Router::Router(RouterDeps deps) : deps_(deps), impl_(std::make_unique<Impl>()) {
    ERP_INVARIANT(deps_.clock != nullptr, "Router needs a clock");
    ERP_INVARIANT(deps_.ids != nullptr, "Router needs an id generator");
}

// The routes go first: a handler may own a service whose threads still answer deferred replies
// (the sales group committer answers its queued sales "shutting down" as it stops), and those
// answers go through this router's counters, which must still be there.
Router::~Router() { routes_.clear(); }

void Router::Add(Route route) {
    ERP_INVARIANT(route.handler != nullptr, "a route needs a handler");
    ERP_INVARIANT(!route.name.empty(), "a route needs a name for metrics and logs");
    ERP_INVARIANT(route.auth != Auth::kAuthenticated || !route.permission.empty(),
                  "an authenticated route needs a permission (or kSelfPermission)");
    std::vector<Segment> compiled = CompilePattern(route.pattern);
    for (const Route& existing : routes_) {
        ERP_INVARIANT(existing.method != route.method || existing.pattern != route.pattern,
                      "a method and pattern may be registered only once");
    }
    RouteBucket& bucket = impl_->by_length[compiled.size()];
    if (compiled.empty() || compiled[KeySegment(compiled.size())].is_param) {
        bucket.any.push_back(routes_.size());
    } else {
        bucket.by_key[compiled[KeySegment(compiled.size())].text].push_back(routes_.size());
    }
    impl_->patterns.push_back(std::move(compiled));
    routes_.push_back(std::move(route));
}

void Router::SetDraining(bool draining) { impl_->draining.store(draining); }
bool Router::draining() const { return impl_->draining.load(); }
int Router::InFlight() const { return impl_->in_flight.load(); }

namespace {

Response Fail(const RouterDeps& deps, const Call& call, Error error) {
    return ErrorResponse(error, call.request_id, deps.clock->NowUs());
}

RouteMatch FindRoute(const std::vector<Route>& routes,
                     const std::vector<std::vector<Segment>>& patterns,
                     const std::unordered_map<size_t, RouteBucket>& by_length,
                     const Request& request) {
    RouteMatch match;
    const std::vector<std::string_view> path = SplitPath(request.path);
    auto bucket = by_length.find(path.size());
    if (path.empty() || bucket == by_length.end()) return match;
    const std::vector<Segment>* best = nullptr;
    auto consider = [&](const std::vector<size_t>& candidates) {
        for (size_t index : candidates) {
            const std::vector<Segment>& pattern = patterns[index];
            if (!SegmentsMatch(pattern, path)) continue;
            const Route& route = routes[index];
            if (route.method != request.method) {
                match.allowed.push_back(route.method);
                continue;
            }
            if (best == nullptr || MoreSpecific(pattern, *best)) {
                best = &pattern;
                match.route = &route;
            }
        }
    };
    // Only the patterns whose key segment is this path's, or a parameter, can match.
    const auto keyed = bucket->second.by_key.find(path[KeySegment(path.size())]);
    if (keyed != bucket->second.by_key.end()) consider(keyed->second);
    consider(bucket->second.any);
    if (match.route == nullptr) return match;
    for (size_t i = 0; i < path.size(); ++i) {
        if ((*best)[i].is_param) match.params.emplace_back((*best)[i].text, std::string(path[i]));
    }
    return match;
}

// Body size and media type: cheap checks before anyone looks at credentials.
std::optional<Response> CheckBody(const RouterDeps& deps, const Call& call) {
    const Request& request = call.request;
    if (request.body.size() > deps.max_body_bytes) {
        return Fail(deps, call,
                    Error(ErrorCode::kPayloadTooLarge,
                          fmt::format("request body exceeds {} bytes", deps.max_body_bytes)));
    }
    if (HasBodyMethod(request.method) && !request.body.empty()) {
        auto type = request.Header("Content-Type");
        const Route& route = *call.match.route;
        bool accepted = type && IsMediaType(*type, route.body_media_type);
        std::string expected = route.body_media_type;
        for (const std::string& other : route.other_body_media_types) {
            accepted = accepted || (type && IsMediaType(*type, other));
            expected += " or " + other;
        }
        if (!accepted) {
            return Fail(deps, call, InvalidArgument("Content-Type", "must be " + expected));
        }
    }
    return std::nullopt;
}

std::optional<Response> Unauthenticated(const RouterDeps& deps, const Call& call, Error error) {
    Response response = Fail(deps, call, std::move(error));
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
}

std::optional<Response> Authenticate(const RouterDeps& deps, Call& call) {
    const bool required = call.match.route->auth == Auth::kAuthenticated;
    // A public route neither needs nor uses the caller's identity (it is rate-limited by
    // address), so its credentials are not even looked at: a stale token cannot lock anyone
    // out of login, and health probes cost no token check.
    if (!required) return std::nullopt;
    if (deps.authenticator != nullptr) {
        Result<std::optional<Principal>> found = deps.authenticator->Authenticate(call.request);
        if (!found.ok()) {
            if (found.error().code() != ErrorCode::kUnauthenticated) {
                return Fail(deps, call, std::move(found).error());
            }
            return Unauthenticated(deps, call, std::move(found).error());
        }
        if (found->has_value()) {
            log::ScopedRequest::SetTenant((*found)->tenant.ToString());
            call.ctx.SetPrincipal(std::move(**found));
        }
    }
    if (!call.ctx.principal()) {
        return Unauthenticated(deps, call,
                               Error(ErrorCode::kUnauthenticated, "authentication required"));
    }
    return std::nullopt;
}

// The permission matrix: 403 when the caller's role may not perform the route's action.
std::optional<Response> Authorize(const RouterDeps& deps, const Call& call) {
    const Route& route = *call.match.route;
    if (route.auth != Auth::kAuthenticated || route.permission == kSelfPermission) {
        return std::nullopt;
    }
    const Principal& principal = *call.ctx.principal();
    if (deps.authorizer != nullptr && deps.authorizer->Allows(principal, route.permission)) {
        return std::nullopt;
    }
    return Fail(deps, call,
                Error(ErrorCode::kPermissionDenied, "your role may not do this")
                    .WithDetail(fmt::format("role {} lacks {}", principal.role, route.permission)));
}

std::optional<Response> RateLimit(const RouterDeps& deps, const Call& call) {
    if (deps.rate_limiter == nullptr) return std::nullopt;
    const RateDecision decision = deps.rate_limiter->Allow(
        call.match.route->rate, ClientKey(call.request, call.ctx.principal()));
    if (decision.allowed) return std::nullopt;
    const int64_t ms = decision.retry_after.count();
    const int64_t seconds = std::max<int64_t>(1, (ms + 999) / 1000);
    Response response = Fail(deps, call, Error(ErrorCode::kRateLimited, "too many requests"));
    response.headers.emplace_back("Retry-After", std::to_string(seconds));
    return response;
}

std::optional<Response> ClaimIdempotency(const RouterDeps& deps, Call& call) {
    const Route& route = *call.match.route;
    if (deps.idempotency == nullptr || !route.idempotent || call.request.method != Method::kPost) {
        return std::nullopt;
    }
    auto key = call.request.Header("Idempotency-Key");
    if (!key) return std::nullopt;
    if (!ValidIdempotencyKey(*key)) {
        return Fail(
            deps, call,
            InvalidArgument("Idempotency-Key", "must be 1 to 255 printable ASCII characters"));
    }
    IdempotencyScope scope;
    if (call.ctx.principal()) scope.tenant = call.ctx.principal()->tenant;
    scope.principal = ClientKey(call.request, call.ctx.principal());
    scope.key = std::string(*key);
    auto claim = deps.idempotency->Claim(scope, IdempotencyStore::RequestHash(call.request));
    if (!claim.ok()) return Fail(deps, call, std::move(claim).error());
    switch (claim->outcome) {
        case IdempotencyStore::Outcome::kProceed:
            call.idempotency = std::move(scope);
            return std::nullopt;
        case IdempotencyStore::Outcome::kReplay: {
            ERP_INVARIANT(claim->stored.has_value(), "a replay carries the stored response");
            Response replay = std::move(*claim->stored);
            replay.headers.emplace_back("Idempotent-Replayed", "true");
            return replay;
        }
        case IdempotencyStore::Outcome::kBodyMismatch:
            return Fail(deps, call,
                        Error(ErrorCode::kUnprocessable,
                              "Idempotency-Key was already used with a different request",
                              {{"Idempotency-Key", "reused with a different request"}}));
        case IdempotencyStore::Outcome::kInFlight:
            return Fail(deps, call,
                        Error(ErrorCode::kConflict,
                              "a request with this Idempotency-Key is still in progress",
                              {{"Idempotency-Key", "still in progress"}}));
    }
    return Fail(deps, call, Internal("unknown idempotency outcome"));
}

Response FromReply(const RouterDeps& deps, const Call& call, Reply reply) {
    Response response;
    response.status = reply.status;
    response.headers = std::move(reply.headers);
    if (reply.raw_body) {
        response.body = std::move(*reply.raw_body);
        response.content_type = std::move(reply.content_type);
    } else if (reply.status == 204) {
        response.body.clear();
    } else if (reply.data_text && (reply.paginated || reply.next_cursor)) {
        response.body = PaginatedEnvelopeText(*reply.data_text, call.request_id,
                                              deps.clock->NowUs(), reply.next_cursor);
    } else if (reply.data_text) {
        response.body = SuccessEnvelopeText(*reply.data_text, call.request_id, deps.clock->NowUs());
    } else if (reply.paginated || reply.next_cursor) {
        response.body =
            PaginatedEnvelope(reply.data, call.request_id, deps.clock->NowUs(), reply.next_cursor);
    } else {
        response.body = SuccessEnvelope(reply.data, call.request_id, deps.clock->NowUs(), {});
    }
    return response;
}

void RollBack(RequestContext& ctx) {
    if (auto tx = ctx.ReleaseTx()) tx->Rollback();
}

// The audit record of a mutating request, written in the request transaction before it commits.
// Nothing when there is no sink, the method does not mutate, the handler recorded its own entries
// (skip), or a public route named nobody to act as.
Result<void> WriteAudit(const RouterDeps& deps, Call& call) {
    if (deps.audit == nullptr || !IsMutating(call.request.method)) return Ok();
    AuditNote& note = call.ctx.audit();
    if (note.skip) return Ok();
    const std::optional<Principal>& principal = call.ctx.principal();
    AuditRecord record;
    TenantId tenant;
    if (note.actor) {
        if (principal && principal->tenant != note.actor->tenant) {
            return Internal("audit: the explicit actor's tenant is not the principal's");
        }
        tenant = note.actor->tenant;
        record.actor_type = note.actor->type;
        record.actor_id = note.actor->id;
        record.role = note.actor->role;
    } else if (principal) {
        tenant = principal->tenant;
        record.actor_type = principal->is_api_key ? "api_key" : "user";
        record.actor_id = principal->subject;
        record.role = principal->role;
    } else {
        return Ok();
    }
    record.action = note.action.value_or(call.match.route->name);
    record.entity_type = note.entity_type;
    record.entity_id = note.entity_id;
    record.summary = std::move(note.summary);
    record.request_id = call.request_id;
    record.client_address = call.request.client_address;
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, call.ctx.Tx());
    if (call.ctx.tx_tenant() != tenant) {
        return Internal(
            "audit: the request transaction was begun without the actor's tenant; set "
            "ctx.audit().actor before the first ctx.Tx()");
    }
    Result<void> recorded = deps.audit->Record(*tx, tenant, record);
    if (recorded.ok()) return Ok();
    Error error = std::move(recorded).error();
    // A record the sink refuses (too long, not an object) is the handler's bug, not the client's.
    if (error.code() != ErrorCode::kInvalidArgument) return error;
    std::string detail = "audit record refused: " + error.message();
    for (const FieldError& f : error.fields()) detail += "; " + f.field + " " + f.message;
    return Internal(std::move(detail));
}

// After the handler succeeded: the audit record, the idempotent answer and the effect commit
// together.
Response CommitSuccess(const RouterDeps& deps, Call& call, Reply reply) {
    if (Result<void> audited = WriteAudit(deps, call); !audited.ok()) {
        RollBack(call.ctx);
        if (call.idempotency) deps.idempotency->Release(*call.idempotency);
        return Fail(deps, call, std::move(audited).error());
    }
    Response response = FromReply(deps, call, std::move(reply));
    if (call.idempotency) {
        Result<db::Transaction*> tx = call.ctx.Tx();
        Result<void> stored = tx.ok()
                                  ? deps.idempotency->Complete(**tx, *call.idempotency, response)
                                  : Result<void>(tx.error());
        if (!stored.ok()) {
            RollBack(call.ctx);
            deps.idempotency->Release(*call.idempotency);
            return Fail(deps, call, std::move(stored).error());
        }
    }
    if (auto tx = call.ctx.ReleaseTx()) {
        Result<void> committed = tx->Commit();
        if (!committed.ok()) {
            if (call.idempotency) deps.idempotency->Release(*call.idempotency);
            return Fail(deps, call, std::move(committed).error());
        }
    }
    return response;
}

Response HandleFailure(const RouterDeps& deps, Call& call, Error error) {
    RollBack(call.ctx);
    Response response = Fail(deps, call, std::move(error));
    if (call.idempotency) {
        if (response.status >= 400 && response.status < 500) {
            Result<void> recorded = deps.idempotency->RecordFailure(*call.idempotency, response);
            if (!recorded.ok()) {
                log::Warn(
                    "idempotency: could not record a failed answer",
                    {{"detail", recorded.error().message() + " " + recorded.error().detail()}});
                deps.idempotency->Release(*call.idempotency);
            }
        } else {
            deps.idempotency->Release(*call.idempotency);
        }
    }
    return response;
}

// The handler's result; an exception becomes an internal error.
Result<Reply> InvokeHandler(Call& call) {
    try {
        return call.match.route->handler(call.ctx);
    } catch (const InvariantViolation& e) {
        return Internal(std::string("invariant violation: ") + e.what());
    } catch (const std::exception& e) {
        return Internal(std::string("exception: ") + e.what());
    } catch (...) {
        return Internal("unknown exception");
    }
}

// What the handler's result makes: the committed success or the failure's answer.
Response Complete(const RouterDeps& deps, Call& call, Result<Reply> result) {
    std::optional<Error> failure;
    try {
        if (result.ok()) return CommitSuccess(deps, call, std::move(result).value());
        failure.emplace(std::move(result).error());
    } catch (const std::exception& e) {
        failure.emplace(Internal(std::string("exception: ") + e.what()));
    } catch (...) {
        failure.emplace(Internal("unknown exception"));
    }
    return HandleFailure(deps, call, std::move(*failure));
}

// A handler that defers its reply must leave the request transaction alone (Reply::Later).
std::optional<Error> CheckLater(const Call& call) {
    if (!call.ctx.HasTx()) return std::nullopt;
    return Internal("a handler deferred its reply while holding the request transaction");
}

// Waits on this thread for a Reply::Later's result.
Result<Reply> AwaitLater(const Call& call, Reply reply) {
    if (auto error = CheckLater(call)) return std::move(*error);
    std::promise<Result<Reply>> answered;
    std::future<Result<Reply>> answer = answered.get_future();
    reply.later([&answered](Result<Reply> result) { answered.set_value(std::move(result)); });
    return answer.get();
}

Response RunHandler(const RouterDeps& deps, Call& call) {
    Result<Reply> result = InvokeHandler(call);
    if (result.ok() && result->later) result = AwaitLater(call, std::move(result).value());
    return Complete(deps, call, std::move(result));
}

// Everything before the handler; a response when the request ends there.
std::optional<Response> RunChecks(const RouterDeps& deps, Call& call) {
    if (call.match.route == nullptr) {
        if (deps.static_site != nullptr && call.match.allowed.empty() &&
            StaticSite::IsConsolePath(call.request.path)) {
            call.console = true;
            return deps.static_site->Serve(call.request, call.request_id, deps.clock->NowUs());
        }
        if (call.match.allowed.empty()) return Fail(deps, call, NotFound("route"));
        Response response = ErrorEnvelope(405, "method_not_allowed", "method not allowed", {},
                                          call.request_id, deps.clock->NowUs());
        response.headers.emplace_back("Allow", AllowHeader(call.match.allowed));
        return response;
    }
    call.ctx.SetPathParams(call.match.params);
    if (auto r = CheckBody(deps, call)) return r;
    if (auto r = Authenticate(deps, call)) return r;
    if (auto r = Authorize(deps, call)) return r;
    if (auto r = RateLimit(deps, call)) return r;
    if (auto r = ClaimIdempotency(deps, call)) return r;
    return std::nullopt;
}

Response RunPipeline(const RouterDeps& deps, Call& call) {
    if (auto r = RunChecks(deps, call)) return std::move(*r);
    return RunHandler(deps, call);
}

// One request of DispatchAsync: everything the pipeline's references point at, kept until the
// answer is written.
struct AsyncCall {
    AsyncCall(Request r, RouteMatch m, std::string id, const RouterDeps& deps,
              std::function<void(Response)> d)
        : request(std::move(r)),
          match(std::move(m)),
          request_id(std::move(id)),
          ctx(request, request_id, deps.database, *deps.clock),
          call{request, request_id, match, ctx, std::nullopt, false},
          done(std::move(d)) {}

    Request request;
    RouteMatch match;
    std::string request_id;
    RequestContext ctx;
    Call call;
    std::function<void(Response)> done;
    std::chrono::steady_clock::time_point started;
    std::atomic<bool> answered{false};
};

std::string ChooseRequestId(const Request& request, IdGenerator& ids) {
    auto given = request.Header("X-Request-Id");
    if (given && ValidRequestId(*given)) return std::string(*given);
    return ids.NewV7().ToString();
}

void Record(const RouterDeps& deps, const Request& request, std::string_view route,
            const Response& response, std::chrono::steady_clock::duration elapsed) {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    if (deps.metrics != nullptr) {
        deps.metrics->ObserveRequest(route, MethodName(request.method), response.status, seconds);
    }
    if (!log::Enabled(log::Level::kInfo)) return;  // skip building the fields
    log::Info("request", {{"method", MethodName(request.method)},
                          {"route", route},
                          {"path", request.path},
                          {"status", response.status},
                          {"duration_ms", std::round(seconds * 1e6) / 1e3}});
}

}  // namespace

Response Router::Refuse(const Request& request, const Error& error) {
    const auto started = deps_.clock->Steady();
    const std::string request_id = ChooseRequestId(request, *deps_.ids);
    log::ScopedRequest scope(request_id);
    Response response = ErrorResponse(error, request_id, deps_.clock->NowUs());
    response.headers.emplace_back("X-Request-Id", request_id);
    Record(deps_, request, kUnmatchedRoute, response, deps_.clock->Steady() - started);
    return response;
}

bool Router::AnswersWithoutBlocking(const Request& request, const RouteMatch& match) const {
    const Route* route = match.route;
    if (route == nullptr || !route->defers_reply) return false;
    if (deps_.idempotency != nullptr && route->idempotent && request.method == Method::kPost &&
        request.Header("Idempotency-Key")) {
        return false;
    }
    return route->auth != Auth::kAuthenticated || deps_.authenticator == nullptr ||
           !deps_.authenticator->MayBlock(request);
}

void Router::DispatchAsync(Request request, RouteMatch match, std::function<void(Response)> done) {
    ERP_ASSERT(match.route == nullptr ||
                   (match.route >= routes_.data() && match.route < routes_.data() + routes_.size()),
               "a match from this router");
    const auto started = deps_.clock->Steady();
    impl_->in_flight.fetch_add(1);
    std::string request_id = ChooseRequestId(request, *deps_.ids);
    log::ScopedRequest scope(request_id);
    auto state = std::make_shared<AsyncCall>(std::move(request), std::move(match),
                                             std::move(request_id), deps_, std::move(done));
    state->started = started;
    // Answers once, whoever gets here first.
    auto finish = [this](AsyncCall& s, Response response) {
        if (s.answered.exchange(true)) return;
        response.headers.emplace_back("X-Request-Id", s.request_id);
        const std::string_view route = s.match.route    ? std::string_view(s.match.route->name)
                                       : s.call.console ? kConsoleRoute
                                                        : kUnmatchedRoute;
        Record(deps_, s.request, route, response, deps_.clock->Steady() - s.started);
        std::function<void(Response)> answer = std::move(s.done);
        impl_->in_flight.fetch_sub(1);
        try {
            answer(std::move(response));
        } catch (...) {
            // The server's writer logs its own failures; nothing else can be done here.
        }
    };
    if (impl_->draining.load()) {
        Response response =
            Fail(deps_, state->call, Error(ErrorCode::kUnavailable, "server is shutting down"));
        response.headers.emplace_back("Connection", "close");
        finish(*state, std::move(response));
        return;
    }
    std::optional<Response> response;
    try {
        response = RunChecks(deps_, state->call);
        if (!response) {
            Result<Reply> result = InvokeHandler(state->call);
            if (result.ok() && result->later) {
                if (auto error = CheckLater(state->call)) {
                    result = std::move(*error);
                } else {
                    auto later = std::move(result->later);
                    later([this, state, finish](Result<Reply> answer) {
                        if (state->answered.load()) return;  // answered already
                        log::ScopedRequest answer_scope(state->request_id);
                        if (state->ctx.principal()) {
                            log::ScopedRequest::SetTenant(
                                state->ctx.principal()->tenant.ToString());
                        }
                        finish(*state, Complete(deps_, state->call, std::move(answer)));
                    });
                    return;
                }
            }
            response = Complete(deps_, state->call, std::move(result));
        }
    } catch (const std::exception& e) {
        RollBack(state->ctx);
        response =
            Fail(deps_, state->call, Internal(std::string("pipeline exception: ") + e.what()));
    }
    finish(*state, std::move(*response));
}

RouteMatch Router::Match(const Request& request) const {
    return FindRoute(routes_, impl_->patterns, impl_->by_length, request);
}

Response Router::Dispatch(const Request& request) { return Dispatch(request, Match(request)); }

Response Router::Dispatch(const Request& request, const RouteMatch& match) {
    ERP_ASSERT(match.route == nullptr ||
                   (match.route >= routes_.data() && match.route < routes_.data() + routes_.size()),
               "a match from this router");
    const auto started = deps_.clock->Steady();
    impl_->in_flight.fetch_add(1);
    struct InFlightGuard {
        std::atomic<int>& n;
        ~InFlightGuard() { n.fetch_sub(1); }
    } guard{impl_->in_flight};

    const std::string request_id = ChooseRequestId(request, *deps_.ids);
    log::ScopedRequest scope(request_id);
    RequestContext ctx(request, request_id, deps_.database, *deps_.clock);
    Call call{request, request_id, match, ctx, std::nullopt, false};

    Response response;
    if (impl_->draining.load()) {
        response = Fail(deps_, call, Error(ErrorCode::kUnavailable, "server is shutting down"));
        response.headers.emplace_back("Connection", "close");
    } else {
        try {
            response = RunPipeline(deps_, call);
        } catch (const std::exception& e) {
            // Outside the handler (an authenticator or store bug): still one failed request.
            RollBack(ctx);
            response = Fail(deps_, call, Internal(std::string("pipeline exception: ") + e.what()));
        }
    }
    response.headers.emplace_back("X-Request-Id", request_id);
    const std::string_view route = match.route    ? std::string_view(match.route->name)
                                   : call.console ? kConsoleRoute
                                                  : kUnmatchedRoute;
    Record(deps_, request, route, response, deps_.clock->Steady() - started);
    return response;
}

}  // namespace omc::http
