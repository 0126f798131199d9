#include <limber/core/Translate.hpp>

#include <atomic>
#include <cstdarg>
#include <cstdio>

namespace limber::core {

namespace {
// Atomic: the notifier's thread reads them while a main may still be starting.
std::atomic<Translator> translator{nullptr};
std::atomic<PluralTranslator> plural_translator{nullptr};
}  // namespace

void set_translator(Translator translate, PluralTranslator translate_plural) noexcept {
    translator.store(translate);
    plural_translator.store(translate_plural);
}

const char* tr(const char* msgid) noexcept {
    const Translator t = translator.load();
    return t ? t(msgid) : msgid;
}

const char* trn(const char* one, const char* many, unsigned long n) noexcept {
    const PluralTranslator t = plural_translator.load();
    return t ? t(one, many, n) : (n == 1 ? one : many);
}

std::string format(const char* pattern, ...) {
    va_list args;
    va_start(args, pattern);
    va_list again;
    va_copy(again, args);
    const int size = std::vsnprintf(nullptr, 0, pattern, args);
    va_end(args);
    std::string out;
    if (size > 0) {
        out.resize(static_cast<std::size_t>(size) + 1);
        std::vsnprintf(out.data(), out.size(), pattern, again);
        out.resize(static_cast<std::size_t>(size));
    }
    va_end(again);
    return out;
}

}  // namespace limber::core
