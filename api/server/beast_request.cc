#include "api/server/beast_request.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "api/server/request_util.h"

namespace casus::api::server {

HttpRequest FromBeastRequest(boost::beast::http::request<boost::beast::http::string_body>& request,
                             std::string client_address, std::string request_id) {
  HttpRequest r;
  r.method = std::string(request.method_string());
  r.target = std::string(request.target());
  SplitTarget(r.target, &r.path, &r.query);
  r.headers.reserve(static_cast<std::size_t>(std::distance(request.begin(), request.end())));
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(request.body());
  r.client_address = std::move(client_address);
  r.request_id = std::move(request_id);
  return r;
}

}  // namespace casus::api::server
