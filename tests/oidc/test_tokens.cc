#include "tests/oidc/test_tokens.h"

#include <cjose/cjose.h>
#include <gtest/gtest.h>
#include <jansson.h>

#include <stdexcept>

namespace casus::oidc::token_testing {
namespace {

std::shared_ptr<cjose_jwk_t> TestTokensOwn(cjose_jwk_t* jwk) {
  if (jwk == nullptr) throw std::runtime_error("cjose could not create a key");
  return std::shared_ptr<cjose_jwk_t>(jwk, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
}

json::object TestTokensToJson(const cjose_jwk_t* jwk, bool priv) {
  char* text = cjose_jwk_to_json(jwk, priv, nullptr);
  if (text == nullptr) throw std::runtime_error("cjose could not export a key");
  json::value v = json::parse(text);
  cjose_get_dealloc()(text);
  return v.as_object();
}

}  // namespace

TestKey TestKey::Rsa(std::string kid) {
  TestKey key;
  key.kid_ = std::move(kid);
  key.jwk_ = TestTokensOwn(cjose_jwk_create_RSA_random(2048, nullptr, 0, nullptr));
  return key;
}

TestKey TestKey::Ec(std::string kid, bool p384) {
  TestKey key;
  key.kid_ = std::move(kid);
  key.jwk_ = TestTokensOwn(cjose_jwk_create_EC_random(p384 ? CJOSE_JWK_EC_P_384 : CJOSE_JWK_EC_P_256, nullptr));
  return key;
}

TestKey TestKey::Oct(std::string_view secret) {
  TestKey key;
  key.jwk_ = TestTokensOwn(
      cjose_jwk_create_oct_spec(reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), nullptr));
  return key;
}

json::object TestKey::PublicJwk() const {
  json::object jwk = TestTokensToJson(jwk_.get(), false);
  if (!kid_.empty()) jwk["kid"] = kid_;
  return jwk;
}

json::object TestKey::PrivateJwk() const {
  json::object jwk = TestTokensToJson(jwk_.get(), true);
  if (!kid_.empty()) jwk["kid"] = kid_;
  return jwk;
}

std::string Jwks(std::initializer_list<json::object> keys) {
  json::array list;
  for (const json::object& k : keys) list.push_back(k);
  return json::serialize(json::object{{"keys", list}});
}

std::string Sign(const TestKey& key, const json::object& header, const json::object& payload) {
  return SignRaw(key, header, json::serialize(payload));
}

std::string SignRaw(const TestKey& key, const json::object& header, std::string_view body) {
  cjose_header_t* h = cjose_header_new(nullptr);
  for (const auto& member : header) {
    const std::string name(member.key());
    // cjose_header_t is a jansson object; cjose's own raw setter parses only
    // objects and arrays, so members of any type are set through jansson.
    json_t* value = json_loads(json::serialize(member.value()).c_str(), JSON_DECODE_ANY, nullptr);
    const bool ok = value != nullptr && json_object_set_new(h, name.c_str(), value) == 0;
    if (!ok) throw std::runtime_error("cjose could not set a header member");
  }
  cjose_jws_t* jws =
      cjose_jws_sign(key.jwk(), h, reinterpret_cast<const uint8_t*>(body.data()), body.size(), nullptr);
  cjose_header_release(h);
  if (jws == nullptr) throw std::runtime_error("cjose could not sign");
  const char* compact = nullptr;
  cjose_jws_export(jws, &compact, nullptr);
  std::string out(compact);
  cjose_jws_release(jws);
  return out;
}

json::object Header(const TestKey& key, std::string_view alg) {
  json::object header{{"alg", alg}};
  if (!key.kid().empty()) header["kid"] = key.kid();
  return header;
}

std::string B64(std::string_view bytes) {
  char* text = nullptr;
  std::size_t length = 0;
  cjose_base64url_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &text, &length, nullptr);
  std::string out(text, length);
  cjose_get_dealloc()(text);
  return out;
}

std::string WithPayload(std::string_view jwt, const json::object& payload) {
  const std::size_t first = jwt.find('.');
  const std::size_t second = jwt.find('.', first + 1);
  return std::string(jwt.substr(0, first + 1)) + B64(json::serialize(payload)) + std::string(jwt.substr(second));
}

std::string WithFlippedSignature(std::string_view jwt) {
  std::string out(jwt);
  // A character in the middle of the signature: all six of its bits count.
  const std::size_t signature = out.rfind('.') + 1;
  char& c = out[signature + (out.size() - signature) / 2];
  c = (c == 'A') ? 'B' : 'A';
  return out;
}

TimePoint TestNow() {
  using namespace std::chrono;
  return TimePoint(sys_days(year(2026) / March / 1)) + hours(12);
}

std::int64_t Seconds(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace casus::oidc::token_testing
