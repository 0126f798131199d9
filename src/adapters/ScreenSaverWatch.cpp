#include <limber/adapters/ScreenSaverWatch.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/spdlog.h>

namespace limber::adapters {
namespace {

struct Names {
    const char* name;
    const char* path;
    const char* iface;
    const char* source;
};

Names bus_names(ScreenSaverWatch::Flavour f) {
    if (f == ScreenSaverWatch::Flavour::gnome)
        return {"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "gnome-screensaver"};
    return {"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
            "freedesktop-screensaver"};
}

}  // namespace

struct ScreenSaverWatch::Impl {
    GDBusConnection* bus;
    std::unique_ptr<glib::Subscription> changes;
    std::unique_ptr<glib::Cancellable> pending;
    std::unique_ptr<glib::NameWatch> watch;
    explicit Impl(GDBusConnection* b) : bus(G_DBUS_CONNECTION(g_object_ref(b))) {}
    ~Impl() {
        watch.reset();
        pending.reset();
        changes.reset();
        g_object_unref(bus);
    }
};

std::unique_ptr<daemon::PresenceSource> ScreenSaverWatch::gnome(const daemon::PresenceContext& context) {
    if (context.bus == nullptr) return nullptr;
    return std::make_unique<ScreenSaverWatch>(context, Flavour::gnome);
}

std::unique_ptr<daemon::PresenceSource> ScreenSaverWatch::freedesktop(const daemon::PresenceContext& context) {
    if (context.bus == nullptr) return nullptr;
    return std::make_unique<ScreenSaverWatch>(context, Flavour::freedesktop);
}

ScreenSaverWatch::ScreenSaverWatch(const daemon::PresenceContext& context, Flavour flavour)
    : flavour_(flavour), context_(context), impl_(std::make_unique<Impl>(context.bus)) {
    GDBusConnection* bus = context.bus;
    const Names n = bus_names(flavour_);
    // Subscribed before the name is looked up, so no change between GetActive and the signal is lost.
    impl_->changes = std::make_unique<glib::Subscription>(
        bus, n.name, n.iface, "ActiveChanged", nullptr, nullptr, [this](GVariant* parameters) {
            if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(b)"))) return;
            gboolean active = FALSE;
            g_variant_get(parameters, "(b)", &active);
            set_active(active != FALSE);
        });
    impl_->watch =
        std::make_unique<glib::NameWatch>(bus, n.name, [this](const std::string& owner) { on_owner(owner); });
}

ScreenSaverWatch::~ScreenSaverWatch() = default;

std::string ScreenSaverWatch::name() const { return bus_names(flavour_).source; }

void ScreenSaverWatch::on_owner(const std::string& owner) {
    const bool was = in_use();
    owner_ = owner;
    if (owner.empty()) {
        impl_->pending.reset();
        set_active(false);
        const bool first = !settled_;
        settled_ = true;
        if ((was || first) && context_.changed) context_.changed();
        return;
    }
    const Names n = bus_names(flavour_);
    impl_->pending = std::make_unique<glib::Cancellable>();
    g_dbus_connection_call(
        impl_->bus, owner.c_str(), n.path, n.iface, "GetActive", nullptr, G_VARIANT_TYPE("(b)"),
        G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, impl_->pending->get(),
        [](GObject* source, GAsyncResult* result, gpointer self_ptr) {
            guarded("the screen saver's answer", [&] {
                GError* error = nullptr;
                glib::Variant reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error));
                if (!reply && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
                    g_error_free(error);
                    return;
                }
                auto* self = static_cast<ScreenSaverWatch*>(self_ptr);
                if (!reply) {
                    spdlog::get("presence")->debug("{}: GetActive failed: {}", self->name(), error->message);
                    g_error_free(error);
                } else {
                    gboolean active = FALSE;
                    g_variant_get(reply.get(), "(b)", &active);
                    self->set_active(active != FALSE);
                }
                // Announced once its state is known, so the start-up line and status agree with it.
                self->settled_ = true;
                if (self->context_.changed) self->context_.changed();
            });
        },
        this);
}

void ScreenSaverWatch::set_active(bool active) {
    if (active == active_) return;
    active_ = active;
    if (context_.report) context_.report({name(), daemon::Signal::locked, active, std::nullopt});
}

}  // namespace limber::adapters
