#include <limber/adapters/MutterIdleMonitor.hpp>
#include <limber/adapters/SystemClock.hpp>
#include <limber/core/Translate.hpp>

#include "GLibHelpers.hpp"

#include <spdlog/spdlog.h>

namespace limber::adapters {
namespace {

constexpr const char* mutter_name = "org.gnome.Mutter.IdleMonitor";
constexpr const char* core_path = "/org/gnome/Mutter/IdleMonitor/Core";
constexpr const char* mutter_iface = "org.gnome.Mutter.IdleMonitor";

/** Calls `method` on Mutter; `done(id)` gets the watch id, unless the monitor went away meanwhile. */
template <typename Done>
void add_watch(GDBusConnection* bus, const std::string& owner, const char* method, GVariant* parameters,
               GCancellable* cancellable, Done done) {
    auto* heap = new Done(std::move(done));
    g_dbus_connection_call(
        bus, owner.c_str(), core_path, mutter_iface, method, parameters, G_VARIANT_TYPE("(u)"),
        G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, cancellable,
        [](GObject* source, GAsyncResult* result, gpointer data) {
            guarded("Mutter's answer", [&] {
                std::unique_ptr<Done> callback(static_cast<Done*>(data));
                GError* error = nullptr;
                glib::Variant reply(g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error));
                if (!reply) {
                    if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                        spdlog::get("presence")
                            ->warn("mutter-idle: {}",
                                   core::format(core::tr("adding a watch failed: %s"), error->message));
                    g_error_free(error);
                    return;
                }
                guint32 id = 0;
                g_variant_get(reply.get(), "(u)", &id);
                (*callback)(id);
            });
        },
        heap);
}

}  // namespace

struct MutterIdleMonitor::Impl {
    GDBusConnection* bus;
    std::unique_ptr<glib::Subscription> fired;
    std::unique_ptr<glib::Cancellable> pending;
    std::unique_ptr<glib::NameWatch> watch;
    explicit Impl(GDBusConnection* b) : bus(G_DBUS_CONNECTION(g_object_ref(b))) {}
    ~Impl() {
        watch.reset();
        pending.reset();
        fired.reset();
        g_object_unref(bus);
    }
};

std::unique_ptr<daemon::PresenceSource> MutterIdleMonitor::make(const daemon::PresenceContext& context) {
    if (context.bus == nullptr) return nullptr;
    return std::make_unique<MutterIdleMonitor>(context);
}

MutterIdleMonitor::MutterIdleMonitor(const daemon::PresenceContext& context)
    : idle_after_(context.idle_after), context_(context), impl_(std::make_unique<Impl>(context.bus)) {
    GDBusConnection* bus = context.bus;
    impl_->fired = std::make_unique<glib::Subscription>(
        bus, mutter_name, mutter_iface, "WatchFired", core_path, nullptr, [this](GVariant* parameters) {
            if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(u)"))) return;
            guint32 id = 0;
            g_variant_get(parameters, "(u)", &id);
            on_fired(id);
        });
    impl_->watch =
        std::make_unique<glib::NameWatch>(bus, mutter_name, [this](const std::string& owner) { on_owner(owner); });
}

MutterIdleMonitor::~MutterIdleMonitor() {
    // Watches belong to our connection: Mutter drops them when it closes; remove them now if it stays open.
    if (in_use()) {
        for (guint32 id : {idle_watch_, active_watch_})
            if (id != 0)
                g_dbus_connection_call(impl_->bus, owner_.c_str(), core_path, mutter_iface, "RemoveWatch",
                                       g_variant_new("(u)", id), nullptr, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, nullptr,
                                       nullptr, nullptr);
    }
}

void MutterIdleMonitor::on_owner(const std::string& owner) {
    const bool was = in_use();
    const bool first = !settled_;
    settled_ = true;
    owner_ = owner;
    idle_watch_ = active_watch_ = 0;
    impl_->pending = std::make_unique<glib::Cancellable>();
    if (owner.empty()) {
        set_idle(false, std::nullopt);
        if ((was || first) && context_.changed) context_.changed();
        return;
    }
    if (!was && context_.changed) context_.changed();
    add_idle_watch();
}

void MutterIdleMonitor::add_idle_watch() {
    const auto ms = static_cast<guint64>(std::chrono::duration_cast<std::chrono::milliseconds>(idle_after_).count());
    add_watch(impl_->bus, owner_, "AddIdleWatch", g_variant_new("(t)", ms), impl_->pending->get(), [this](guint32 id) {
        idle_watch_ = id;
        spdlog::get("presence")
            ->debug("mutter-idle: idle watch {} for {} ms", id,
                    std::chrono::duration_cast<std::chrono::milliseconds>(idle_after_).count());
    });
}

void MutterIdleMonitor::add_active_watch() {
    add_watch(impl_->bus, owner_, "AddUserActiveWatch", nullptr, impl_->pending->get(),
              [this](guint32 id) { active_watch_ = id; });
}

void MutterIdleMonitor::set_idle_after(core::Duration idle_after) {
    if (idle_after == idle_after_) return;
    idle_after_ = idle_after;
    if (!in_use()) return;
    if (idle_watch_ != 0)
        g_dbus_connection_call(impl_->bus, owner_.c_str(), core_path, mutter_iface, "RemoveWatch",
                               g_variant_new("(u)", idle_watch_), nullptr, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, nullptr,
                               nullptr, nullptr);
    idle_watch_ = 0;
    add_idle_watch();
}

void MutterIdleMonitor::on_fired(guint32 id) {
    if (id == 0) return;
    if (id == idle_watch_ && !idle_) {
        set_idle(true, monotonic_now() - idle_after_);
        // A user-active watch fires once, at the next input.
        add_active_watch();
    } else if (id == active_watch_) {
        active_watch_ = 0;
        set_idle(false, std::nullopt);
    }
}

void MutterIdleMonitor::set_idle(bool idle, std::optional<core::Instant> since) {
    if (idle == idle_) return;
    idle_ = idle;
    if (context_.report) context_.report({name(), daemon::Signal::idle, idle, since});
}

}  // namespace limber::adapters
