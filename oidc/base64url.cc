#include "oidc/base64url.h"

#include <cjose/base64.h>
#include <cjose/util.h>

#include <new>

namespace casus::oidc {
namespace {

bool Base64UrlIsAlphabetChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool IsBase64UrlUnpadded(std::string_view text) {
  if (text.size() % 4 == 1) return false;
  for (char c : text) {
    if (!Base64UrlIsAlphabetChar(c)) return false;
  }
  return true;
}

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  if (!IsBase64UrlUnpadded(text)) return std::nullopt;
  uint8_t* bytes = nullptr;
  std::size_t length = 0;
  if (!cjose_base64url_decode(text.data(), text.size(), &bytes, &length, nullptr)) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(bytes), length);
  cjose_get_dealloc()(bytes);
  return out;
}

std::string EncodeBase64Url(std::span<const unsigned char> bytes) {
  char* text = nullptr;
  std::size_t length = 0;
  // cjose fails only on a null argument or an allocation failure; the former cannot happen here.
  if (!cjose_base64url_encode(bytes.data(), bytes.size(), &text, &length, nullptr)) throw std::bad_alloc();
  std::string out(text, length);
  cjose_get_dealloc()(text);
  return out;
}

}  // namespace casus::oidc
