#include "platform/http/static_site.hpp"

#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <sodium.h>

#include "platform/http/error_to_http.hpp"
#include "platform/http/router.hpp"
#include "platform/log/log.hpp"

namespace omc::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
constexpr std::string_view kNotBuilt =
    "the web console is not built: run `npm ci && npm run build` in web/";

struct TypeInfo {
    std::string_view extension;
    std::string_view content_type;
    bool compressible;
};

constexpr std::array<TypeInfo, 15> kTypes = {{
    {"html", "text/html; charset=utf-8", true},
    {"js", "text/javascript; charset=utf-8", true},
    {"mjs", "text/javascript; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"json", "application/json", true},
    {"map", "application/json", true},
    {"webmanifest", "application/manifest+json", true},
    {"svg", "image/svg+xml", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"ico", "image/x-icon", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"webp", "image/webp", false},
    {"woff2", "font/woff2", false},
}};

const TypeInfo* TypeOf(std::string_view file_name) {
    const size_t dot = file_name.rfind('.');
    if (dot == std::string_view::npos) return nullptr;
    const std::string_view extension = file_name.substr(dot + 1);
    for (const TypeInfo& type : kTypes) {
        if (type.extension.size() != extension.size()) continue;
        bool same = true;
        for (size_t i = 0; i < extension.size() && same; ++i) {
            const char c = extension[i];
            same =
                (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == type.extension[i];
        }
        if (same) return &type;
    }
    return nullptr;
}

// A strong validator: the first 16 bytes of BLAKE2b over the content, in hex.
std::string ContentHash(std::string_view body) {
    std::array<unsigned char, 16> hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr,
                       0);
    std::array<char, 2 * 16 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data(), 2 * 16);
}

// The gzip (RFC 1952) form of `body`, at the best compression: it is made once, at start.
std::optional<std::string> Gzip(std::string_view body) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return std::nullopt;
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(body.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = deflate(&stream, Z_FINISH);
    const size_t written = stream.total_out;
    deflateEnd(&stream);
    if (status != Z_STREAM_END) return std::nullopt;
    out.resize(written);
    return out;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

// `path` is `prefix` itself or lies under it ("/api" and "/api/..." but not "/apiary").
bool IsUnder(std::string_view path, std::string_view prefix) {
    return StartsWith(path, prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// Calls `each` with every comma-separated element of a header value, trimmed.
template <typename Each>
void ForEachElement(std::string_view value, Each each) {
    while (!value.empty()) {
        const size_t comma = value.find(',');
        each(Trim(value.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
}

// Accept-Encoding names gzip (or x-gzip, or *) without q=0.
bool AcceptsGzip(const Request& request) {
    auto header = request.Header("Accept-Encoding");
    if (!header) return false;
    bool accepted = false;
    ForEachElement(*header, [&accepted](std::string_view element) {
        const size_t semi = element.find(';');
        const std::string_view coding = Trim(element.substr(0, semi));
        if (!EqualsNoCase(coding, "gzip") && !EqualsNoCase(coding, "x-gzip") && coding != "*") {
            return;
        }
        bool zero = false;
        if (semi != std::string_view::npos) {
            std::string_view params = Trim(element.substr(semi + 1));
            if (StartsWith(params, "q=") || StartsWith(params, "Q=")) {
                const std::string_view q = Trim(params.substr(2));
                zero = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
            }
        }
        if (!zero) accepted = true;
    });
    return accepted;
}

// If-None-Match names one of the file's validators (weak comparison, RFC 9110 13.1.2), or *.
bool NotModified(const Request& request, const StaticSite::File& file) {
    auto header = request.Header("If-None-Match");
    if (!header) return false;
    bool matched = false;
    ForEachElement(*header, [&](std::string_view tag) {
        if (tag == "*") matched = true;
        if (StartsWith(tag, "W/")) tag.remove_prefix(2);
        if (tag == file.etag || tag == file.gzip_etag) matched = true;
    });
    return matched;
}

void AddSecurityHeaders(Response& response) {
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Referrer-Policy", "same-origin");
    response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
}

Response Answer(const Request& request, const StaticSite::File& file, bool is_fallback) {
    Response response;
    response.content_type = file.content_type;
    const bool immutable = file.immutable && !is_fallback;
    const bool gzip = file.gzip.has_value() && AcceptsGzip(request);
    response.headers.emplace_back("ETag", gzip ? file.gzip_etag : file.etag);
    response.headers.emplace_back("Cache-Control", std::string(immutable ? kImmutable : kNoCache));
    if (file.gzip) response.headers.emplace_back("Vary", "Accept-Encoding");
    if (NotModified(request, file)) {
        response.status = 304;
        return response;
    }
    if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
    if (request.method != Method::kHead) response.body = gzip ? *file.gzip : file.body;
    return response;
}

Error RootError(const std::string& root, std::string message) {
    return Error(ErrorCode::kInvalidArgument, "cannot load the web console",
                 {{"web.root", fmt::format("{}: {}", root, message)}});
}

Error TooLarge(const std::string& root, const StaticSiteOptions& options, const std::string& url) {
    return RootError(root, fmt::format("the files together exceed the limit of {} bytes (at {})",
                                       options.max_total_bytes, url));
}

// The target of a symbolic link at `link`, when it is a regular file inside `root` (canonical).
std::optional<fs::path> LinkInsideRoot(const fs::path& link, const fs::path& root) {
    std::error_code ec;
    const fs::path target = fs::canonical(link, ec);
    if (ec) return std::nullopt;
    const fs::path relative = target.lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") return std::nullopt;
    if (!fs::is_regular_file(target, ec)) return std::nullopt;
    return target;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
    const TypeInfo* type = TypeOf(file_name);
    return type ? type->content_type : "application/octet-stream";
}

bool StaticSite::IsConsolePath(std::string_view path) {
    return !IsUnder(path, "/api") && !IsUnder(path, "/health") && !IsUnder(path, "/metrics");
}

const StaticSite::File* StaticSite::Find(std::string_view path) const {
    auto it = files_.find(std::string(path));
    return it == files_.end() ? nullptr : &it->second;
}

Result<std::unique_ptr<StaticSite>> StaticSite::Load(const std::string& root_text,
                                                     StaticSiteOptions options) {
    std::unique_ptr<StaticSite> site(new StaticSite());
    site->root_ = root_text;
    std::error_code ec;
    const fs::path given(root_text);
    if (!fs::is_directory(given, ec) || !fs::is_regular_file(given / "index.html", ec)) {
        log::Warn(
            "web console not built: no index.html in web.root; run `npm ci && npm run "
            "build` in web/",
            {{"root", root_text}});
        return site;
    }
    if (sodium_init() < 0) return Internal("libsodium failed to initialise");
    const fs::path root = fs::canonical(given, ec);
    if (ec) return RootError(root_text, ec.message());
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    if (ec) return RootError(root_text, ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) return RootError(root_text, ec.message());
        const fs::directory_entry& entry = *it;
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name.front() == '.') {
            if (entry.is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        fs::path source = entry.path();
        if (entry.is_symlink(ec)) {
            std::optional<fs::path> target = LinkInsideRoot(entry.path(), root);
            if (!target) {
                log::Warn(
                    "web console: skipped a symbolic link that leaves web.root or is not a "
                    "file",
                    {{"path", entry.path().string()}});
                continue;
            }
            source = *target;
        } else if (!entry.is_regular_file(ec)) {
            continue;  // directories are walked; sockets and the like are not files to serve
        }
        const std::string url = "/" + entry.path().lexically_relative(root).generic_string();
        const uintmax_t size = fs::file_size(source, ec);
        if (ec) return RootError(root_text, fmt::format("{}: {}", url, ec.message()));
        if (size > options.max_total_bytes - site->total_bytes_) {
            return TooLarge(root_text, options, url);
        }
        std::ifstream in(source, std::ios::binary);
        std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) return RootError(root_text, url + ": cannot be read");
        if (body.size() > options.max_total_bytes - site->total_bytes_) {
            return TooLarge(root_text, options, url);
        }
        File file;
        const TypeInfo* type = TypeOf(name);
        file.content_type = type ? type->content_type : "application/octet-stream";
        const std::string hash = ContentHash(body);
        file.etag = "\"" + hash + "\"";
        file.gzip_etag = "\"" + hash + "-gz\"";
        file.immutable = StartsWith(url, "/assets/");
        if (type != nullptr && type->compressible) {
            std::optional<std::string> gzip = Gzip(body);
            if (gzip && gzip->size() < body.size()) file.gzip = std::move(gzip);
        }
        site->total_bytes_ += body.size();
        file.body = std::move(body);
        site->files_.emplace(url, std::move(file));
    }
    log::Info("web console loaded",
              {{"root", root_text}, {"files", site->files_.size()}, {"bytes", site->total_bytes_}});
    return site;
}

Response StaticSite::Serve(const Request& request, const std::string& request_id,
                           TimestampUs now) const {
    Response response;
    if (request.method != Method::kGet && request.method != Method::kHead) {
        response =
            ErrorEnvelope(405, "method_not_allowed", "method not allowed", {}, request_id, now);
        response.headers.emplace_back("Allow", "GET, HEAD");
    } else if (!built()) {
        response =
            ErrorResponse(Error(ErrorCode::kNotFound, std::string(kNotBuilt)), request_id, now);
    } else {
        const std::string_view path = request.path;
        const File* file = Find(path == "/" ? std::string_view("/index.html") : path);
        bool fallback = false;
        if (file == nullptr) {
            // A client route (/stations/abc) gets the application; a missing file (a dot in the
            // last segment, or anything under /assets/) a 404.
            const std::string_view last = path.substr(path.rfind('/') + 1);
            if (last.find('.') == std::string_view::npos && !StartsWith(path, "/assets/")) {
                file = Find("/index.html");
                fallback = true;
            }
        }
        response = file != nullptr ? Answer(request, *file, fallback)
                                   : ErrorResponse(NotFound("file"), request_id, now);
    }
    if (request.method == Method::kHead) response.body.clear();
    AddSecurityHeaders(response);
    return response;
}

}  // namespace omc::http
