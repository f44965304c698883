// Malformed and oversized HTTP on the real server, sent byte for byte:
// clear answers (400, 431, 413), the connection closes, and the server keeps
// serving everyone else.
#include <gtest/gtest.h>

#include <string>

#include "tests/api/server_fixture.h"
#include "tests/hostile/raw_tls.h"

namespace casus::hostile {
namespace {

using apitest::Api;
using apitest::ApiServer;

// Sends `request` on a fresh connection; returns the answer read until the
// server closes (or 10 s pass).
std::string Exchange(const std::string& request, bool* closed = nullptr) {
  RawTls tls;
  const std::string error = tls.Connect(ApiServer::Get().port());
  EXPECT_EQ(error, "");
  if (!error.empty()) return "";
  tls.Write(request);  // may fail part-way: the server may answer and close before all of it arrived
  std::string answer = tls.Read(std::chrono::seconds(10));
  if (closed) *closed = tls.closed();
  return answer;
}

void ExpectStillServing() {
  apitest::HttpResult me = Api("kr_meldpunt").Get("/api/v1/me");
  EXPECT_EQ(me.status, 200) << me.Describe();
}

std::string BodyOf(const std::string& raw) {
  const auto at = raw.find("\r\n\r\n");
  return at == std::string::npos ? "" : raw.substr(at + 4);
}

TEST(RawHttp, OversizedHeadersAre431AndTheConnectionCloses) {
  const std::string token = ApiServer::Get().User("kr_meldpunt").token;
  const std::string one_huge = "GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token +
                               "\r\nX-Padding: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  std::string many = "GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n";
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  many += "\r\n";
  const std::string long_target = "GET /api/v1/cases?cursor=" + std::string(40 * 1024, 'c') +
                                  " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  for (const auto& [what, request] : {std::pair{"one 64 KiB header", one_huge}, std::pair{"2000 headers", many},
                                      std::pair{"a 40 KiB request target", long_target}}) {
    bool closed = false;
    const std::string answer = Exchange(request, &closed);
    EXPECT_EQ(StatusOf(answer), 431) << what << ": " << answer.substr(0, 300);
    EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << what;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << what << ": " << answer.substr(0, 300);
    EXPECT_TRUE(closed) << what;
  }
  ExpectStillServing();
}

TEST(RawHttp, OversizedChunkedBodyIs413) {
  // No Content-Length to refuse up front: the parser's body limit (1 MiB)
  // must stop it while it streams.
  const std::string token = ApiServer::Get().User("kr_meldpunt").token;
  std::string request = "POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token +
                        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, ' ');
  for (int i = 0; i < 20; ++i) request += "10000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  const std::string answer = Exchange(request);
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 300);
  ExpectStillServing();
}

TEST(RawHttp, MalformedRequestsAre400AndTheServerKeepsServing) {
  const std::pair<const char*, std::string> cases[] = {
      {"not HTTP at all", std::string("\x16\x03\x01garbage\r\n\r\n")},
      {"no HTTP version", "GET /api/v1/me\r\n\r\n"},
      {"space in a header name", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n"},
      {"NUL in a header value", std::string("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: a") + '\0' + "b\r\n\r\n"},
      {"two Content-Lengths", "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 4\r\n\r\n{}"},
      {"Content-Length and chunked", "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"negative Content-Length", "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"Content-Length beyond 64 bits",
       "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"},
      {"bad chunk size", "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
  };
  for (const auto& [what, request] : cases) {
    bool closed = false;
    const std::string answer = Exchange(request, &closed);
    const int status = StatusOf(answer);
    // Beast refuses each of these while parsing; the server answers 400 (or
    // 413 for a length it will not read) and closes.
    EXPECT_TRUE(status == 400 || status == 413) << what << ": " << answer.substr(0, 300);
    EXPECT_TRUE(closed) << what;
    ExpectStillServing();
  }
}

TEST(RawHttp, InvalidUtf8InPathQueryAndHeadersGetsA4xxWithValidJson) {
  const std::string token = ApiServer::Get().User("kr_meldpunt").token;
  const std::string auth = "Authorization: Bearer " + token + "\r\n";
  const std::pair<const char*, std::string> cases[] = {
      {"raw 0xFF in the path", "GET /api/v1/cases/\xff\xfe HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
      {"encoded 0xFF in the path", "GET /api/v1/cases/%FF%FE HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
      {"overlong '/' in the path", "GET /api/v1/cases/%C0%AF..%C0%AF HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
      {"encoded 0xFF in the query", "GET /api/v1/cases?state=%FF HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
      {"raw 0xFF in the query", "GET /api/v1/cases?state=\xff HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"},
      {"invalid UTF-8 token", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xc3\x28\xff\r\n\r\n"},
      {"invalid UTF-8 cookie", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nCookie: casus_session=\xed\xa0\x80\r\n\r\n"},
  };
  for (const auto& [what, request] : cases) {
    // Connection: close, so that the answer ends with the connection.
    std::string closing = request;
    closing.replace(closing.find("Host: x\r\n"), 9, "Host: x\r\nConnection: close\r\n");
    const std::string answer = Exchange(closing);
    const int status = StatusOf(answer);
    EXPECT_GE(status, 400) << what << ": " << answer.substr(0, 300);
    EXPECT_LT(status, 500) << what << ": " << answer.substr(0, 300);
    boost::system::error_code ec;
    boost::json::parse(BodyOf(answer), ec);  // Boost.JSON refuses invalid UTF-8
    EXPECT_FALSE(ec) << what << ": the problem is not valid JSON: " << BodyOf(answer);
  }
  ExpectStillServing();
}

}  // namespace
}  // namespace casus::hostile
