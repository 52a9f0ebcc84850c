// The web console's files (web.root, default web/dist), read into memory when `omc serve` starts
// and answered by the router for every GET or HEAD that no route matched outside /api/, /health
// and /metrics (docs/adr/0016-web-console.md):
//
//   - an exact file: 200 with its content type; the gzip copy when the client accepts gzip;
//   - /assets/... (Vite's content-hashed names): Cache-Control "public, max-age=31536000,
//     immutable"; everything else "no-cache", revalidated with the ETag (304 on If-None-Match);
//   - no file, and the last segment has no dot (a client route such as /stations/abc):
//     index.html; otherwise the JSON 404;
//   - other methods: 405; every answer carries the security headers (CSP, nosniff, DENY).
//
// Nothing here touches the database or the disk after Load(): the router may answer on the
// server's I/O thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"
#include "platform/http/request.hpp"

namespace omc::http {

struct StaticSiteOptions {
    // The most the files may hold together (uncompressed); more fails Load() with the root named.
    size_t max_total_bytes = size_t{64} << 20;
};

class StaticSite {
  public:
    // One file, ready to answer.
    struct File {
        std::string content_type;
        std::string body;
        std::optional<std::string> gzip;  // only when smaller than body
        std::string etag;                 // "\"<hash of body>\""
        std::string gzip_etag;            // "\"<hash of body>-gz\"": the gzip representation's
        bool immutable = false;           // under /assets/
    };

    // Reads every regular file under `root` (recursively; names starting with '.' are skipped, as
    // are symbolic links that leave the root and symbolic links to directories). A root that does
    // not exist or holds no index.html gives a site that is not built: one warning is logged and
    // every console path answers a 404 saying how to build it. Errors: the files exceed
    // options.max_total_bytes, or one cannot be read (kInvalidArgument naming web.root).
    static Result<std::unique_ptr<StaticSite>> Load(const std::string& root,
                                                    StaticSiteOptions options = {});

    // Whether `path` belongs to the console: everything except /api, /health and /metrics and
    // what lies under them.
    static bool IsConsolePath(std::string_view path);

    // The answer for a console path (see the header comment). `request_id` and `now` fill the
    // error envelopes.
    Response Serve(const Request& request, const std::string& request_id, TimestampUs now) const;

    bool built() const { return files_.count("/index.html") > 0; }
    size_t file_count() const { return files_.size(); }
    size_t total_bytes() const { return total_bytes_; }
    const std::string& root() const { return root_; }
    // The loaded file at a URL path ("/assets/app.js"), or null.
    const File* Find(std::string_view path) const;

  private:
    StaticSite() = default;

    std::string root_;
    std::unordered_map<std::string, File> files_;  // by URL path: "/index.html"
    size_t total_bytes_ = 0;
};

// The content type for a file name, by extension ("application/octet-stream" when unknown).
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace omc::http
