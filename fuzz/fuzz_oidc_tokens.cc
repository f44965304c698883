// Fuzzes what Casus reads from OpenID providers and from anyone who POSTs
// a back-channel logout: ID tokens, logout tokens and key sets (oidc/).
// Input: 'J' then a JWKS document, or anything else (conventionally 'T')
// then a compact token checked against a fixed key set. The seeds
// (fuzz/corpus/fuzz_oidc_tokens/) are valid tokens signed by the private
// halves of these public keys, which were thrown away, so mutations reach
// the claim checks behind the signature only through the checks' own bugs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oidc/key_set.h"
#include "oidc/token_checks.h"

namespace {

constexpr std::string_view kFuzzJwks = R"jwks({"keys":[{"kty":"RSA","n":"uoua3ZGmqqEiA3bNYatFyiuBWZEnwB-zmGBPITorORlRrjpx9oCDIguThm7CH0KJ29gz9zTTYYVXqfrxCoSU53AD9XjKXMv8naMSxu8hpxeB3f9_Xw8OPDiPwi-ImaawyXW5fJGfjwWHrsH-c4Qx2yLVtBIPlpPZeuURgJzcX-yn8OV9fvJ5ZvquyVpNCuEsOCkprwL85JAaCAg_4P3K-xQlU2vnsENQhgAoh6I0XFir_6uLNBOB3sinuNkEV1pU4P1DfbhQ5DpsfCxDk9s4NeXUbK-8h_xLvxb_KgQ5FbZ9mD_fMel9DSHkBidEa__9vbmqVvkxC6I-1fWxsKTc-Q","e":"AQAB","kid":"fuzz-rsa","use":"sig","alg":"RS256"},{"kty":"EC","x":"LdtHBy6dNAmS7HwVKaU5oi3F26FP1WcByjP5XiRM0z8","y":"bHa1ZVeQilD-RfabsFiBFAk2x8dXc-Pl1Iz9QkudeO8","crv":"P-256","kid":"fuzz-ec","use":"sig","alg":"ES256"}]})jwks";

const casus::oidc::KeySet& FuzzKeys() {
  static const casus::oidc::KeySet keys = *casus::oidc::KeySet::Parse(kFuzzJwks);
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'J') {
    (void)casus::oidc::KeySet::Parse(input);
    return 0;
  }
  casus::oidc::TokenExpectations expect;
  expect.issuer = "https://idp.example";
  expect.client_id = "casus";
  expect.now = casus::TimePoint(std::chrono::seconds(1780000060));  // the seeds' tokens are valid then
  (void)casus::oidc::VerifyIdToken(input, FuzzKeys(), expect, "fuzz-nonce");
  (void)casus::oidc::VerifyLogoutToken(input, FuzzKeys(), expect);
  return 0;
}
