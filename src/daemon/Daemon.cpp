#include <limber/daemon/Daemon.hpp>

#include <limber/adapters/Guarded.hpp>
#include <limber/adapters/HistoryStore.hpp>
#include <limber/adapters/ProfileLoader.hpp>
#include <limber/adapters/Systemd.hpp>
#include <limber/bus/Protocol.hpp>
#include <limber/core/Translate.hpp>

#include <glib-unix.h>
#include <malloc.h>

#include <algorithm>
#include <csignal>

namespace limber::daemon {
namespace {

/** The history in SQLite, as the application records and reads it. */
class SqliteBook final : public HistoryBook {
public:
    explicit SqliteBook(const std::string& path)
        : store_(path, adapters::HistoryStore::Mode::write, [](bool warning, const std::string& line) {
              spdlog::get("store")->log(warning ? spdlog::level::warn : spdlog::level::info, "{}", line);
          }) {}
    ~SqliteBook() override {
        if (retry_ != 0) g_source_remove(retry_);
    }
    SqliteBook(const SqliteBook&) = delete;
    SqliteBook& operator=(const SqliteBook&) = delete;
    const adapters::HistoryStore& store() const noexcept { return store_; }

    void record(const core::HistoryEvent& event) override {
        store_.record(event);
        retry_later();
    }
    int water_on(core::CivilDay day) override {
        const int ml = store_.water_on(day);
        retry_later();
        return ml;
    }
    std::vector<core::DayCount> day_counts(core::CivilDay since, core::Moment now) override {
        const auto start = std::chrono::steady_clock::now();
        auto counts = store_.counts(since);
        // Active time per day (rows of kind present), this run's open interval up to now.
        for (auto& row : store_.active(since, now)) counts.push_back(std::move(row));
        const auto read = std::chrono::steady_clock::now();
        // Reading a year leaves SQLite's page cache and freed blocks behind: give them back, so the
        // idle footprint stays what it was.
        give_memory_back();
        const auto trimmed = std::chrono::steady_clock::now();
        using ms = std::chrono::duration<double, std::milli>;
        spdlog::get("daemon")->debug("history: {} counts in {:.1f} ms (+{:.1f} ms giving memory back)", counts.size(),
                                     ms(read - start).count(), ms(trimmed - read).count());
        retry_later();
        return counts;
    }
    void set_retention(core::Duration keep) override {
        store_.set_retention(keep);
        // Checking and pruning read the whole file: give that memory back before idling.
        give_memory_back();
    }

private:
    // Events another program's lock (or an unwritable place) held back wait in memory; they are
    // tried again on a timer of their own, so a crash before the next answer loses none: after 1 s,
    // then twice as long each time up to 5 min. Nothing is armed while nothing waits.
    static constexpr guint first_retry_s = 1;
    static constexpr guint last_retry_s = 300;

    void retry_later() {
        if (store_.pending() == 0) {
            if (retry_ != 0) g_source_remove(retry_);
            retry_ = 0;
            retry_s_ = first_retry_s;
            return;
        }
        if (retry_ == 0) retry_ = g_timeout_add_seconds(retry_s_, &SqliteBook::on_retry, this);
    }
    static gboolean on_retry(gpointer self) {
        auto* book = static_cast<SqliteBook*>(self);
        book->retry_ = 0;
        book->retry_s_ = std::min(book->retry_s_ * 2, last_retry_s);
        adapters::guarded("writing the history's waiting events", [book] {
            book->store_.write_waiting();
            book->retry_later();
        });
        return G_SOURCE_REMOVE;
    }

    void give_memory_back() {
        store_.release_memory();
        ::malloc_trim(0);
    }
    adapters::HistoryStore store_;
    guint retry_ = 0;
    guint retry_s_ = first_retry_s;
};

}  // namespace
std::int64_t SystemWall::now_us() const { return g_get_real_time(); }

core::CivilDay SystemWall::day_of(std::int64_t unix_seconds) const {
    return adapters::HistoryStore::local_day(unix_seconds);
}

Daemon::Daemon(std::optional<std::string> profile_option, core::Profile profile, const std::string& state_dir)
    : profile_option_(std::move(profile_option)),
      log_(spdlog::get("daemon")),
      loop_(g_main_loop_new(nullptr, FALSE)),
      timer_([this] { app_.on_deadline(); }),
      notifier_(
          [this](const std::vector<std::string>& names, core::Answer answer) { app_.on_buttons(names, answer); },
          [this](const std::vector<std::string>& names, core::CloseReason reason) { app_.on_closed(names, reason); }),
      store_(state_dir),
      presence_(*this),
      app_(clock_, wall_, std::move(profile), *this, notifier_, presence_) {}

Daemon::~Daemon() {
    presence_.stop();
    if (flush_source_ != 0) g_source_remove(flush_source_);
    service_.reset();
    if (name_id_ != 0) g_bus_unown_name(name_id_);
    if (bus_ != nullptr) g_object_unref(bus_);
    g_main_loop_unref(loop_);
}

int Daemon::run() {
    g_unix_signal_add(
        SIGTERM,
        [](gpointer self) -> gboolean {
            static_cast<Daemon*>(self)->stop(0);
            return G_SOURCE_CONTINUE;
        },
        this);
    g_unix_signal_add(
        SIGINT,
        [](gpointer self) -> gboolean {
            static_cast<Daemon*>(self)->stop(0);
            return G_SOURCE_CONTINUE;
        },
        this);
    g_unix_signal_add(
        SIGHUP,
        [](gpointer self) -> gboolean {
            auto* daemon = static_cast<Daemon*>(self);
            adapters::guarded("reloading on SIGHUP", [daemon] { daemon->app_.reload_on_signal(); });
            return G_SOURCE_CONTINUE;
        },
        this);

    GError* error = nullptr;
    bus_ = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, &error);
    if (bus_ == nullptr) {
        spdlog::get("bus")->warn("{}", core::format(core::tr("no D-Bus session bus (%s); reminders are written to "
                                                             "this log only. Run limberd in a desktop session, or "
                                                             "try: dbus-run-session -- limberd"),
                                                    error->message));
        g_error_free(error);
        ready();
    } else {
        g_dbus_connection_set_exit_on_close(bus_, FALSE);
        service_ = std::make_unique<adapters::BusService>(bus_, app_);
        name_id_ = g_bus_own_name_on_connection(bus_, bus::name, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                &Daemon::name_acquired, &Daemon::name_lost, this, nullptr);
    }
    presence_.start(bus_, app_.scheduler().profile().general.idle_after);
    // Without a session bus ready() came first: tell it about the sources now there (logind, X11).
    if (bus_ == nullptr) on_sources_changed();
    g_main_loop_run(loop_);
    adapters::notify_systemd("STOPPING=1");
    // Every way here is a deliberate stop, also the non-zero ones (the name taken: nothing was started;
    // the bus lost): the last save and `stop` in the history come first.
    app_.stop(true);
    log_->info("stopped");
    return exit_status_;
}

void Daemon::name_acquired(GDBusConnection*, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    self->name_owned_ = true;
    spdlog::get("bus")->debug("owns {}", name);
    adapters::guarded("starting", [self] { self->ready(); });
}

void Daemon::name_lost(GDBusConnection* connection, const gchar* name, gpointer self_ptr) {
    auto* self = static_cast<Daemon*>(self_ptr);
    const bool owned = self->name_owned_;
    self->name_owned_ = false;
    if (connection == nullptr) {
        // The connection closed (the bus went away, or it dropped us). A limberd carrying on alone could
        // never be reached again: limberctl would say it is not running, and a second limberd on the new
        // bus would write the same state and history. So it stops (the state saved, the history told) and
        // exits non-zero, which is what Restart=on-failure restarts.
        spdlog::get("bus")->error("{}", core::tr("lost the session bus; exiting so that systemd restarts limberd"));
        self->stop(1);
        return;
    }
    if (!owned)
        // TRANSLATORS: %s is limberd's bus name; the two commands are kept as they are.
        spdlog::get("bus")->error("{}", core::format(core::tr("limberd is already running in this session (%s is "
                                                              "taken); see it with: limberctl status, or stop it "
                                                              "with: systemctl --user stop limber"),
                                                     name));
    else  // not expected: the name is owned without ALLOW_REPLACEMENT
        spdlog::get("bus")->error(
            "{}", core::format(core::tr("lost %s on the session bus; exiting so that systemd restarts limberd"), name));
    self->stop(1);
}

void Daemon::ready() {
    if (app_.started()) return;
    // Only the one limberd of the session reads and writes the state and the history.
    std::optional<SavedState> saved;
    if (auto loaded = store_.load())
        saved = SavedState{loaded->snapshot, loaded->down_for, loaded->same_day, loaded->stopped, store_.path()};
    auto history = std::make_unique<SqliteBook>(store_.dir() + "/history.sqlite");
    if (history->store().available())
        log_->info("{}", core::format(core::tr("history in %s"), history->store().path().c_str()));
    app_.start(std::move(saved), std::move(history));
    adapters::notify_systemd("READY=1\nSTATUS=Reminding");
    log_->info("ready");
}

void Daemon::stop(int status) {
    exit_status_ = status;
    g_main_loop_quit(loop_);
}

// --- Ports ------------------------------------------------------------------------------------

void Daemon::arm(std::optional<core::Instant> at) { timer_.arm(at); }

void Daemon::flush_soon() {
    if (flush_source_ != 0) return;
    flush_source_ = g_idle_add(
        [](gpointer self) -> gboolean {
            auto* daemon = static_cast<Daemon*>(self);
            daemon->flush_source_ = 0;
            adapters::guarded("saving the state", [daemon] { daemon->app_.flush(); });
            return G_SOURCE_REMOVE;
        },
        this);
}

void Daemon::save(const core::SchedulerSnapshot& snapshot, bool stopping) { store_.save(snapshot, stopping); }

void Daemon::publish() {
    if (service_) service_->refresh();
}

void Daemon::shown(const std::vector<std::string>& names, const std::string& title) {
    if (service_) service_->emit_shown(names, title);
}

void Daemon::answered(const std::string& name, core::Outcome outcome) {
    if (service_) service_->emit_answered(name, outcome);
}

void Daemon::run_hook(const std::string& hook, const std::vector<std::string>& argv, const HookEnvironment& environment,
                      core::Duration timeout) {
    hooks_.run(hook, argv, environment, std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
}

ProfileLoad Daemon::load_profile() {
    adapters::notify_systemd("RELOADING=1");
    auto result = adapters::load_profile(adapters::locate_profile(profile_option_));
    adapters::notify_systemd("READY=1");
    ProfileLoad load;
    if (!result.profile) load.report = result.report();
    load.profile = std::move(result.profile);
    return load;
}

}  // namespace limber::daemon
