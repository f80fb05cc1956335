#include "storage/sealed_preferences.h"

#include "crypto/primitives.h"

namespace loci::storage {
namespace {

constexpr std::size_t kBlindBytes = 12;  // as the index terms' (term_blinder.cpp)

std::string ValueAssociatedData(std::string_view user_label, std::string_view blinded_key) {
  std::string associated(user_label);
  associated += "/preference/";
  associated += crypto::ToHex(blinded_key);
  associated += "/value";
  return associated;
}

std::string StyleAssociatedData(std::string_view user_label) {
  std::string associated(user_label);
  associated += "/preference_state/style";
  return associated;
}

}  // namespace

std::string BlindPreferenceKey(const crypto::UserKeys& keys, std::string_view key) {
  std::string input = "p";
  input += key;
  return crypto::KeyedHash(keys.index, input, kBlindBytes);
}

model::Preference SealPreference(const crypto::UserKeys& keys, std::string_view user_label,
                                 model::Preference preference) {
  std::string blinded = BlindPreferenceKey(keys, preference.key);
  std::string plain = preference.key;
  plain += '\n';  // keys never hold a line break
  plain += preference.value;
  preference.value = crypto::Seal(keys.seal, plain, ValueAssociatedData(user_label, blinded));
  preference.key = std::move(blinded);
  return preference;
}

Result<model::Preference> OpenPreference(const crypto::UserKeys& keys, std::string_view user_label,
                                         model::Preference sealed) {
  ASSIGN_OR_RETURN(std::string plain, crypto::Open(keys.seal, sealed.value,
                                                   ValueAssociatedData(user_label, sealed.key)));
  std::size_t cut = plain.find('\n');
  if (cut == std::string::npos) return Corruption("a sealed preference holds no key");
  std::string key = plain.substr(0, cut);
  if (BlindPreferenceKey(keys, key) != sealed.key) {
    return Corruption("a sealed preference's key does not match its row");
  }
  sealed.key = std::move(key);
  sealed.value = plain.substr(cut + 1);
  return sealed;
}

std::string SealStyle(const crypto::UserKeys& keys, std::string_view user_label,
                      std::string_view style) {
  return crypto::Seal(keys.seal, style, StyleAssociatedData(user_label));
}

Result<std::string> OpenStyle(const crypto::UserKeys& keys, std::string_view user_label,
                              std::string_view sealed) {
  return crypto::Open(keys.seal, sealed, StyleAssociatedData(user_label));
}

}  // namespace loci::storage
