// A parsed Beast request as the handlers see it (api/http_types.h). Shared
// by the HTTP session and the HTTP fuzz target, so the fuzzer exercises the
// exact conversion the server uses.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

#include "api/http_types.h"

namespace casus::api::server {

// Moves the body out of `request`. Header names become lower-case.
HttpRequest FromBeastRequest(boost::beast::http::request<boost::beast::http::string_body>& request,
                             std::string client_address, std::string request_id);

}  // namespace casus::api::server
