// The router: routes registered explicitly by each module from one list (src/app/modules.cpp),
// matched by method and path pattern ("/api/v1/things/{id}"), and the request pipeline every
// route goes through:
//
//   request id -> route match (404/405; the web console's files when no route matched) -> body
//   limit -> authentication -> rate limit -> idempotency claim (POST with Idempotency-Key) ->
//   handler -> audit record (mutating methods)
//   -> commit the request transaction (storing the idempotent answer in it) -> JSON envelope ->
//   metrics and access log
//
// Handlers return Result<Reply>; errors become the error envelope through one table
// (error_to_http.cpp). An InvariantViolation or any other exception from a handler rolls the
// request transaction back and answers 500 with the request id, never crashing the process.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/request.hpp"

namespace omc::http {

// Who is calling. Filled by the authenticator from a verified token or API key; the tenant
// comes only from here, never from a request body.
struct Principal {
    TenantId tenant;
    std::string subject;  // user id or API key id
    std::string role;     // e.g. "CompanyAdmin"
    bool is_api_key = false;
    // Where the role applies: "tenant", or "region:<uuid>", "station:<uuid>", "dealer:<uuid>"
    // (several for a user granted more than one place). Empty means the whole tenant.
    std::vector<std::string> scopes;
    // Set while the holder must first enrol a second factor or change a password: only
    // kSelfPermission routes are open to them until then.
    std::string restriction;
};

// Decides whether a principal may perform a route's permission ("stations.write"). The identity
// module's permission matrix implements it; the router asks before rate limits and handlers.
class Authorizer {
  public:
    virtual ~Authorizer() = default;
    virtual bool Allows(const Principal& principal, std::string_view permission) const = 0;
};

// The permission of routes any authenticated caller may use on their own account (profile,
// password change, logout): no matrix entry, the handler acts only on the caller.
inline constexpr std::string_view kSelfPermission = "self";

class Authenticator {
  public:
    virtual ~Authenticator() = default;
    // nullopt: no credentials presented. An error: credentials presented but invalid (401).
    virtual Result<std::optional<Principal>> Authenticate(const Request& request) = 0;
    // Whether Authenticate may block on the request's credentials (a database read or write).
    // False lets a Route::defers_reply route run its whole pipeline on an HTTP I/O thread.
    virtual bool MayBlock(const Request& /*request*/) const { return true; }
};

enum class Auth {
    kPublic,         // no credentials needed (health, metrics, openapi, login)
    kAuthenticated,  // a valid principal is required; its tenant scopes every query
};

// Cursor pagination, parsed and bounded by the router helpers below.
struct Page {
    std::optional<std::string> cursor;
    int limit = 50;
};

// A successful answer. `data` goes into the envelope; `raw_body` (with `content_type`) bypasses
// the envelope for Prometheus text, CSV, OpenAPI and the like.
struct Reply {
    int status = 200;
    nlohmann::json data;
    std::optional<std::string> next_cursor;  // set for paginated lists
    std::optional<std::string> raw_body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    // A paginated list: the envelope carries "pagination":{"next_cursor":...} even on the last
    // page (null cursor). Setting next_cursor implies it.
    bool paginated = false;
    // `data` already written as JSON text (platform/http/json_text.hpp), used in its place when
    // set: a hot route can write its records without building a JSON tree first.
    std::optional<std::string> data_text;
    // Set by Reply::Later: the answer comes later, from another thread.
    std::function<void(std::function<void(Result<Reply>)>)> later;

    // A page of a list: {"data": items, "metadata": {"pagination": {"next_cursor": ...}}}.
    static Reply PageOf(nlohmann::json items, std::optional<std::string> next_cursor) {
        Reply reply;
        reply.data = std::move(items);
        reply.next_cursor = std::move(next_cursor);
        reply.paginated = true;
        return reply;
    }
    // The same, with the items already written as a JSON array's text ("[...]").
    static Reply PageOfText(std::string items_json, std::optional<std::string> next_cursor) {
        Reply reply;
        reply.data_text = std::move(items_json);
        reply.next_cursor = std::move(next_cursor);
        reply.paginated = true;
        return reply;
    }
    // A reply that another thread finishes: the handler hands its work on (the sales group
    // committer) and returns at once. The router calls `start` once with `done`, which must be
    // called exactly once, from any thread, with what the handler would have returned; the
    // router then goes on as if the handler had returned it (envelope, idempotent answer, audit
    // record, metrics). Waited for on a worker thread; on an I/O thread (Route::defers_reply)
    // nobody waits. The handler must not have begun the request transaction (ctx.Tx()): the
    // work it hands on may need the same database.
    static Reply Later(std::function<void(std::function<void(Result<Reply>)>)> start) {
        Reply reply;
        reply.later = std::move(start);
        return reply;
    }
};

// ---- the audit hook ----
//
// Every successful mutating request (POST, PUT, PATCH, DELETE) leaves one audit record, written
// by the router in the request transaction just before it commits: no effect without its record,
// and no record without its effect. Handlers describe the change in ctx.audit(); the router adds
// who (from the principal), the action (the route's name unless overridden), the request id and
// the client address, and hands the lot to the AuditSink (platform/audit implements it).

// Who acted, for routes that have no principal yet (login) or act for someone else.
struct AuditActor {
    TenantId tenant;
    std::string type;  // "user", "api_key" or "system"
    std::string id;
    std::string role;
};

// What a handler tells the router about its change. Everything is optional.
struct AuditNote {
    std::string entity_type;  // e.g. "user"
    std::string entity_id;    // e.g. the user's UUID
    // A JSON object describing the change, e.g. {"email":"a@b","role":"Operator"}. Never
    // secrets: no passwords, tokens or keys.
    nlohmann::json summary = nlohmann::json::object();
    std::optional<std::string> action;  // default: the route's name ("users.create")
    // The handler records its own entries (several, or domain actions): the router writes none.
    bool skip = false;
    // Overrides the principal as the actor. On a route without a principal (login) it is what
    // makes a record possible; set it before the first ctx.Tx(), so the request transaction is
    // begun with its tenant (PostgreSQL row-level security). With a principal, its tenant must be
    // the principal's.
    std::optional<AuditActor> actor;
};

// One record as the router hands it to the sink: the note completed with who, what and where.
struct AuditRecord {
    std::string actor_type;  // "user", "api_key" or "system"
    std::string actor_id;
    std::string role;
    std::string action;
    std::string entity_type;  // empty: none
    std::string entity_id;    // empty: none
    nlohmann::json summary;   // a JSON object
    std::string request_id;
    std::string client_address;
};

class AuditSink {
  public:
    virtual ~AuditSink() = default;
    // Appends `record` to `tenant`'s audit log inside `tx`, the request transaction. An error
    // fails the request and rolls it back.
    virtual Result<void> Record(db::Transaction& tx, const TenantId& tenant,
                                const AuditRecord& record) = 0;
};

inline constexpr int kPageLimitDefault = 50;
inline constexpr int kPageLimitMax = 500;
inline constexpr size_t kCursorMaxBytes = 200;
inline constexpr size_t kRequestIdMaxBytes = 128;

class RequestContext {
  public:
    RequestContext(const Request& request, std::string request_id, db::Database* database,
                   const Clock& clock)
        : request_(request),
          request_id_(std::move(request_id)),
          database_(database),
          clock_(clock) {}
    ~RequestContext();
    RequestContext(const RequestContext&) = delete;
    RequestContext& operator=(const RequestContext&) = delete;

    const Request& request() const { return request_; }
    const std::string& request_id() const { return request_id_; }
    const std::vector<std::pair<std::string, std::string>>& path_params() const {
        return path_params_;
    }
    std::optional<std::string_view> PathParam(std::string_view name) const;
    const std::optional<Principal>& principal() const { return principal_; }
    // The authenticated tenant. Only valid on kAuthenticated routes.
    const TenantId& tenant() const;
    const Clock& clock() const { return clock_; }
    db::Database& database() const { return *database_; }

    // The request's unit of work: begun on first use with the principal's tenant (read-only for
    // GET), committed by the router after the handler succeeds, rolled back otherwise. Handlers
    // pass it to services; a service never commits it.
    Result<db::Transaction*> Tx();
    bool HasTx() const { return tx_ != nullptr; }

    // Parses ?cursor=&limit= (default 50, max 500); kInvalidArgument naming the field otherwise.
    Result<Page> ParsePage() const;

    // What this request changed, for its audit record (see AuditNote).
    AuditNote& audit() { return audit_; }
    const AuditNote& audit() const { return audit_; }

    // --- for the router only ---
    void TEST_SetPrincipal(Principal p) { principal_ = std::move(p); }
    void SetPrincipal(Principal p) { principal_ = std::move(p); }
    void SetPathParams(std::vector<std::pair<std::string, std::string>> params) {
        path_params_ = std::move(params);
    }
    std::unique_ptr<db::Transaction> ReleaseTx() { return std::move(tx_); }
    // The tenant the request transaction was begun with (nullopt: none, or not begun).
    const std::optional<TenantId>& tx_tenant() const { return tx_tenant_; }

  private:
    const Request& request_;
    std::string request_id_;
    db::Database* database_;
    const Clock& clock_;
    std::optional<Principal> principal_;
    std::vector<std::pair<std::string, std::string>> path_params_;
    std::unique_ptr<db::Transaction> tx_;
    std::optional<TenantId> tx_tenant_;
    AuditNote audit_;
};

using Handler = std::function<Result<Reply>(RequestContext&)>;

// Rate-limit classes; their rates come from configuration ([rate_limits.<class>]).
enum class RateClass { kDefault, kAuth, kWrite, kRead, kNone };
std::string_view RateClassName(RateClass c);

struct Route {
    Method method = Method::kGet;
    std::string pattern;  // "/api/v1/things/{id}"
    std::string name;     // stable label for metrics and logs: "events.list"
    Auth auth = Auth::kAuthenticated;
    RateClass rate = RateClass::kDefault;
    bool idempotent = false;   // honours Idempotency-Key (every money/stock-moving POST)
    bool tenant_owned = true;  // reads or writes tenant data: the tenant-isolation test covers it
    // The action this route performs ("stations.write"), checked against the permission matrix
    // (403 when the caller's role lacks it). Required on kAuthenticated routes; kSelfPermission
    // for routes a caller uses on their own account. Ignored on public routes.
    std::string permission;
    Handler handler;
    // The handler never blocks (no database, no file or network I/O): the server may run it on
    // its I/O thread instead of handing it to a worker, saving two thread switches. Only for
    // reads: a mutating route writes its audit record to the database.
    bool runs_inline = false;
    // The media type a request body must have (parameters such as "; charset=utf-8" allowed,
    // any case): JSON unless the route takes a file, e.g. "text/csv" for an import.
    std::string body_media_type = "application/json";
    // Further media types the route also takes, e.g. the XLSX type beside "text/csv".
    std::vector<std::string> other_body_media_types;
    // The handler answers with Reply::Later and blocks on nothing before (no database, files or
    // network): the server may run the request's pipeline on its I/O thread and write the answer
    // from the thread that finishes it, so no thread waits per request. It does so when nothing
    // else in the pipeline may block (Router::AnswersWithoutBlocking); otherwise the request
    // goes to a worker as usual, which waits for the later reply.
    bool defers_reply = false;
};

}  // namespace omc::http

namespace omc::http {

class RateLimiter;
class IdempotencyStore;
class StaticSite;
}  // namespace omc::http
namespace omc::metrics {
class Registry;
}

namespace omc::http {

// What matching a request's method and path found: the route, or the methods the path has
// (405), or nothing (404). The server matches once (it needs Route::runs_inline to choose a
// thread) and hands the match to Dispatch, which would otherwise match again.
struct RouteMatch {
    const Route* route = nullptr;  // points into the router's routes()
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<Method> allowed;
};

struct RouterDeps {
    db::Database* database = nullptr;         // required
    const Clock* clock = nullptr;             // required
    IdGenerator* ids = nullptr;               // required: request ids when none is sent
    Authenticator* authenticator = nullptr;   // nullable: then every kAuthenticated route is 401
    const Authorizer* authorizer = nullptr;   // nullable: then only kSelfPermission routes pass
    RateLimiter* rate_limiter = nullptr;      // nullable: no limits
    IdempotencyStore* idempotency = nullptr;  // nullable: Idempotency-Key ignored
    metrics::Registry* metrics = nullptr;     // nullable
    AuditSink* audit = nullptr;               // nullable: no audit records
    size_t max_body_bytes = 1 << 20;
    // nullable: no web console. Otherwise it answers what no route matched outside /api/,
    // /health and /metrics (platform/http/static_site.hpp).
    const StaticSite* static_site = nullptr;
};

class Router {
  public:
    explicit Router(RouterDeps deps);
    ~Router();

    // Registers a route. Registering the same method and pattern twice, or a kAuthenticated route
    // without a permission, is an invariant failure.
    void Add(Route route);
    // Runs the whole pipeline for one request. Thread-safe once registration is over.
    Response Dispatch(const Request& request);
    // The same for a request already matched by Match() on this router.
    Response Dispatch(const Request& request, const RouteMatch& match);
    // Whether DispatchAsync can answer `request` without blocking the calling thread: its route
    // defers its reply, its credentials are checked without the database, and it claims no
    // Idempotency-Key (a claim reads and writes the database).
    bool AnswersWithoutBlocking(const Request& request, const RouteMatch& match) const;
    // Runs the pipeline like Dispatch, but does not wait for a Reply::Later: `done` gets the
    // response once, on this thread or on the thread that finishes the reply. Never throws.
    void DispatchAsync(Request request, RouteMatch match, std::function<void(Response)> done);
    // Finds the route for the request's method and path. Thread-safe once registration is over.
    RouteMatch Match(const Request& request) const;
    const std::vector<Route>& routes() const { return routes_; }
    // Answers `request` with `error` without running the pipeline: the server's own refusals
    // (worker queue full, an unsupported method). Still carries a request id, and is counted in
    // metrics and the access log. Thread-safe.
    Response Refuse(const Request& request, const Error& error);

    // While draining (graceful shutdown) new requests get 503 with Connection: close.
    void SetDraining(bool draining);
    bool draining() const;
    // Requests inside Dispatch right now; shutdown waits for this to reach zero.
    int InFlight() const;

  private:
    struct Impl;
    RouterDeps deps_;
    std::vector<Route> routes_;
    std::unique_ptr<Impl> impl_;
};

// Builds the success envelope {"success":true,"data":...,"metadata":{...}}.
std::string SuccessEnvelope(const nlohmann::json& data, const std::string& request_id,
                            TimestampUs now, const std::optional<std::string>& next_cursor);
// Builds the error envelope and status for an Error via the one error table.
Response ErrorResponse(const Error& error, const std::string& request_id, TimestampUs now);

}  // namespace omc::http
