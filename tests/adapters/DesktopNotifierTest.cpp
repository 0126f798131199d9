// The notifier's hand-off between the daemon's main context and the notifier's
// own thread, against python3-dbusmock's notification_daemon template on a
// private session bus (tests/e2e/session.conf: nothing is auto-started).
//
// The server is held with SIGSTOP: then the notifier's thread sits inside a
// synchronous libnotify call and everything posted after it must queue, which
// makes "never blocks the caller", "in order" and "withdrawn before it was
// shown" deterministic. Every wait polls a condition until a deadline.

#include <limber/adapters/DeadlineTimer.hpp>
#include <limber/adapters/DesktopNotifier.hpp>

#include <gio/gio.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <sys/prctl.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using limber::adapters::DesktopNotifier;
using limber::core::Answer;
using limber::core::CloseReason;
using limber::core::Notice;

constexpr auto deadline = 10s;
constexpr const char* notifications_path = "/org/freedesktop/Notifications";
constexpr const char* notifications_iface = "org.freedesktop.Notifications";

/** Polls `done` (after running `ctx`'s ready sources, if given) until it holds or the deadline passes. */
bool wait_until(const std::function<bool()>& done, GMainContext* ctx = nullptr) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (ctx != nullptr)
            while (g_main_context_iteration(ctx, FALSE)) {
            }
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(20ms);
    }
}

std::string error_text(GError* error) {
    std::string text = error != nullptr ? error->message : "?";
    g_clear_error(&error);
    return text;
}

/** A child process, killed (SIGKILL) and reaped when this goes, and when the test process dies. */
class Child {
public:
    explicit Child(const std::vector<std::string>& argv, GSubprocessFlags flags = G_SUBPROCESS_FLAGS_NONE) {
        std::vector<const gchar*> args;
        for (const auto& a : argv) args.push_back(a.c_str());
        args.push_back(nullptr);
        GSubprocessLauncher* launcher = g_subprocess_launcher_new(flags);
        g_subprocess_launcher_set_child_setup(
            launcher, [](gpointer) { ::prctl(PR_SET_PDEATHSIG, SIGKILL); }, nullptr, nullptr);
        GError* error = nullptr;
        process_ = g_subprocess_launcher_spawnv(launcher, args.data(), &error);
        g_object_unref(launcher);
        if (process_ == nullptr) throw std::runtime_error("cannot start " + argv.front() + ": " + error_text(error));
    }
    ~Child() {
        g_subprocess_force_exit(process_);
        g_subprocess_wait(process_, nullptr, nullptr);
        g_object_unref(process_);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    void signal(int sig) { g_subprocess_send_signal(process_, sig); }
    GSubprocess* get() const { return process_; }

private:
    GSubprocess* process_ = nullptr;
};

/**
 * One private dbus-daemon for the whole test process: GLib keeps one session
 * bus connection per process, so the address must not change between tests.
 */
class PrivateBus {
public:
    static PrivateBus& get() {
        static PrivateBus bus;
        return bus;
    }
    GDBusConnection* connection() const { return connection_; }

    std::optional<std::string> owner_of(const char* name) const {
        GError* error = nullptr;
        GVariant* reply = g_dbus_connection_call_sync(
            connection_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner",
            g_variant_new("(s)", name), G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, &error);
        if (reply == nullptr) {
            g_clear_error(&error);
            return std::nullopt;
        }
        const gchar* owner = nullptr;
        g_variant_get(reply, "(&s)", &owner);
        std::string text = owner;
        g_variant_unref(reply);
        return text;
    }

private:
    PrivateBus() {
        gchar* dir = g_dir_make_tmp("limber-notifier-XXXXXX", nullptr);
        REQUIRE(dir != nullptr);
        dir_ = dir;
        g_free(dir);
        daemon_.emplace(
            std::vector<std::string>{"dbus-daemon", "--config-file=" LIMBER_SESSION_CONF, "--address=unix:dir=" + dir_,
                                     "--print-address=1", "--nofork", "--nopidfile", "--nosyslog"},
            G_SUBPROCESS_FLAGS_STDOUT_PIPE);
        // dbus-daemon prints its address once it listens.
        GDataInputStream* out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(daemon_->get()));
        GError* error = nullptr;
        gchar* line = g_data_input_stream_read_line(out, nullptr, nullptr, &error);
        g_object_unref(out);
        if (line == nullptr) FAIL("dbus-daemon printed no address: " << error_text(error));
        address_ = line;
        g_free(line);
        g_setenv("DBUS_SESSION_BUS_ADDRESS", address_.c_str(), TRUE);
        connection_ = g_dbus_connection_new_for_address_sync(
            address_.c_str(),
            static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                              G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
            nullptr, nullptr, &error);
        if (connection_ == nullptr) FAIL("cannot connect to the private bus: " << error_text(error));
    }
    ~PrivateBus() {
        if (connection_ != nullptr) g_object_unref(connection_);
        daemon_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::string dir_;
    std::string address_;
    std::optional<Child> daemon_;
    GDBusConnection* connection_ = nullptr;
};

/** What the server was asked, in order: a Notify with the id it answered, or a CloseNotification. */
struct ServerCall {
    std::string method;
    std::string summary;  // Notify
    guint32 id = 0;       // Notify: the id answered; CloseNotification: the id closed
    // Notify: what the notification looks like there.
    std::string app_icon;
    std::string body;
    std::vector<std::string> actions;  // keys and labels, in turn
    std::optional<int> urgency;        // the hints limber sets
    std::string image_path;
    bool resident = false;
    bool transient = false;
    std::optional<int> value;
    int expire = 0;

    bool has_action(const std::string& key) const {
        for (std::size_t i = 0; i + 1 < actions.size(); i += 2)
            if (actions[i] == key) return true;
        return false;
    }
};

/**
 * dbusmock's notification_daemon, with buttons, on the private bus, calling itself `name` (as
 * GetServerInformation answers: "gnome-shell", "dunst", ...); gone when this goes.
 */
class MockServer {
public:
    explicit MockServer(const std::string& name = "mock-notify") {
        auto& bus = PrivateBus::get();  // first, so that the server starts on it
        process_.emplace(std::vector<std::string>{"/usr/bin/python3", "-m", "dbusmock", "--template",
                                                  LIMBER_NAMED_SERVER, "-p",
                                                  R"({"capabilities": "body actions", "name": ")" + name + R"("})"});
        std::optional<std::string> owner;
        if (!wait_until([&] { return (owner = bus.owner_of(notifications_iface)).has_value(); }))
            FAIL("the mock server did not take " << notifications_iface);
        unique_ = *owner;
    }
    ~MockServer() {
        process_.reset();
        // The next test's server must not be mistaken for this one.
        wait_until([] { return !PrivateBus::get().owner_of(notifications_iface); });
    }
    MockServer(const MockServer&) = delete;
    MockServer& operator=(const MockServer&) = delete;

    /** Holds every call to the server (SIGSTOP) until resume(). */
    void pause() { process_->signal(SIGSTOP); }
    void resume() { process_->signal(SIGCONT); }

    /** Every Notify and CloseNotification so far, oldest first. */
    std::vector<ServerCall> calls() const {
        GVariant* reply = call("GetCalls", nullptr, G_VARIANT_TYPE("(a(tsav))"));
        std::vector<ServerCall> out;
        guint32 next_id = 1;  // as the template numbers them
        GVariantIter* iter = nullptr;
        g_variant_get(reply, "(a(tsav))", &iter);
        guint64 stamp = 0;
        const gchar* method = nullptr;
        GVariantIter* args = nullptr;
        while (g_variant_iter_next(iter, "(t&sav)", &stamp, &method, &args)) {
            std::vector<GVariant*> values;
            GVariant* v = nullptr;
            while (g_variant_iter_next(args, "v", &v)) values.push_back(v);
            ServerCall c;
            c.method = method;
            if (c.method == "Notify" && values.size() == 8) {
                c.app_icon = g_variant_get_string(values[2], nullptr);
                c.summary = g_variant_get_string(values[3], nullptr);
                c.body = g_variant_get_string(values[4], nullptr);
                const gchar** actions = g_variant_get_strv(values[5], nullptr);
                for (const gchar** a = actions; *a != nullptr; ++a) c.actions.emplace_back(*a);
                g_free(actions);
                guchar urgency = 0;
                if (g_variant_lookup(values[6], "urgency", "y", &urgency)) c.urgency = urgency;
                const gchar* image = nullptr;
                if (g_variant_lookup(values[6], "image-path", "&s", &image)) c.image_path = image;
                gboolean resident = FALSE;
                if (g_variant_lookup(values[6], "resident", "b", &resident)) c.resident = resident != FALSE;
                gboolean transient = FALSE;
                if (g_variant_lookup(values[6], "transient", "b", &transient)) c.transient = transient != FALSE;
                gint32 value = 0;
                if (g_variant_lookup(values[6], "value", "i", &value)) c.value = value;
                c.expire = g_variant_get_int32(values[7]);
                const guint32 replaces = number(values[1]);
                c.id = replaces != 0 ? replaces : next_id++;
                out.push_back(c);
            } else if (c.method == "CloseNotification" && values.size() == 1) {
                c.id = number(values[0]);
                out.push_back(c);
            }
            for (GVariant* value : values) g_variant_unref(value);
            g_variant_iter_free(args);
        }
        g_variant_iter_free(iter);
        g_variant_unref(reply);
        return out;
    }

    std::vector<ServerCall> calls_of(const std::string& method) const {
        std::vector<ServerCall> out;
        for (const auto& c : calls())
            if (c.method == method) out.push_back(c);
        return out;
    }

    bool was_called(const char* method) const {
        GVariant* reply = call("GetMethodCalls", g_variant_new("(s)", method), G_VARIANT_TYPE("(a(tav))"));
        GVariant* list = g_variant_get_child_value(reply, 0);
        const bool called = g_variant_n_children(list) > 0;
        g_variant_unref(list);
        g_variant_unref(reply);
        return called;
    }

    /** The person pressed button `key` on notification `id`. */
    void press(guint32 id, const char* key) const {
        GVariantBuilder args;
        g_variant_builder_init(&args, G_VARIANT_TYPE("av"));
        g_variant_builder_add(&args, "v", g_variant_new_uint32(id));
        g_variant_builder_add(&args, "v", g_variant_new_string(key));
        g_variant_unref(
            call("EmitSignal", g_variant_new("(sssav)", notifications_iface, "ActionInvoked", "us", &args), nullptr));
    }

    /** The server closed notification `id` (freedesktop reasons: 1 expired, 2 dismissed, 3 closed by a call, 4). */
    void close(guint32 id, guint32 reason) const {
        GVariantBuilder args;
        g_variant_builder_init(&args, G_VARIANT_TYPE("av"));
        g_variant_builder_add(&args, "v", g_variant_new_uint32(id));
        g_variant_builder_add(&args, "v", g_variant_new_uint32(reason));
        g_variant_unref(call(
            "EmitSignal", g_variant_new("(sssav)", notifications_iface, "NotificationClosed", "uu", &args), nullptr));
    }

private:
    static guint32 number(GVariant* v) {
        if (g_variant_is_of_type(v, G_VARIANT_TYPE_UINT32)) return g_variant_get_uint32(v);
        if (g_variant_is_of_type(v, G_VARIANT_TYPE_INT32)) return static_cast<guint32>(g_variant_get_int32(v));
        return 0;
    }

    GVariant* call(const char* method, GVariant* args, const GVariantType* reply_type) const {
        GError* error = nullptr;
        GVariant* reply = g_dbus_connection_call_sync(PrivateBus::get().connection(), unique_.c_str(),
                                                      notifications_path, "org.freedesktop.DBus.Mock", method, args,
                                                      reply_type, G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, &error);
        if (reply == nullptr) FAIL("the mock server's " << method << " failed: " << error_text(error));
        return reply;
    }

    std::optional<Child> process_;
    std::string unique_;
};

/** The test's "main context": pushed as thread default, so the notifier hands presses to it. */
struct MainContext {
    GMainContext* ctx = g_main_context_new();
    MainContext() { g_main_context_push_thread_default(ctx); }
    ~MainContext() {
        g_main_context_pop_thread_default(ctx);
        g_main_context_unref(ctx);
    }
    MainContext(const MainContext&) = delete;
    MainContext& operator=(const MainContext&) = delete;
};

/** How many threads of this process are the notifier's ("limber-notify"). */
int notifier_threads() {
    int count = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        if (std::getline(comm, name) && name == "limber-notify") ++count;
    }
    return count;
}

struct Press {
    std::vector<std::string> names;
    Answer answer;
    std::thread::id thread;
};

Notice notice(const std::string& name, const std::string& title) {
    Notice n;
    n.names = {name};
    n.title = title;
    n.message = "message of " + name;
    n.snooze = 5min;
    return n;
}

Notice nudge(limber::core::Urgency urgency) {
    Notice n = notice("eyes", "Rest your eyes");
    n.kind = limber::core::Kind::eyes;
    n.urgency = urgency;
    return n;
}

Notice a_break(limber::core::Duration length) {
    Notice n = notice("stretch", "Time to stretch");
    n.kind = limber::core::Kind::stretch;
    n.length = length;
    return n;
}

/** Resumes `server` if the main thread has not said done() by the deadline: a blocked call then returns. */
class Watchdog {
public:
    explicit Watchdog(MockServer& server)
        : thread_([this, &server] {
              std::unique_lock lock(mutex_);
              if (!cv_.wait_for(lock, deadline, [this] { return done_; })) {
                  fired_ = true;
                  server.resume();
              }
          }) {}
    ~Watchdog() { done(); }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    /** true if the deadline passed first */
    bool done() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
        return fired_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::atomic<bool> fired_ = false;
    std::thread thread_;
};

/** A ringbuffer on the "daemon" logger, where guarded() reports. */
std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> daemon_log() {
    static auto sink = [] {
        auto s = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
        spdlog::drop("daemon");
        auto logger = std::make_shared<spdlog::logger>("daemon", s);
        spdlog::register_logger(logger);
        spdlog::set_level(spdlog::level::warn);
        return s;
    }();
    return sink;
}

bool logged(const std::string& text) {
    for (const auto& line : daemon_log()->last_formatted())
        if (line.find(text) != std::string::npos) return true;
    return false;
}

/** Waits until the notifier has asked the server who it is (it shows nothing before). */
void await_server_seen(const MockServer& server) {
    if (!wait_until([&] { return server.was_called("GetServerInformation"); }))
        FAIL("the notifier never asked the server for its information");
}

}  // namespace

TEST_CASE("show and withdraw return while the server does not answer; the server gets the notices in order",
          "[notifier]") {
    MockServer server;
    MainContext main;
    std::optional<DesktopNotifier> notifier;
    notifier.emplace([](const std::vector<std::string>&, Answer) {});
    REQUIRE(wait_until([] { return notifier_threads() == 1; }));
    await_server_seen(server);

    server.pause();
    {
        Watchdog watchdog(server);
        notifier->show(notice("a", "A"));  // the thread waits in this call for the held server
        notifier->show(notice("b", "B"));
        notifier->show(notice("c", "C"));
        notifier->withdraw("c");  // c never reaches the server: withdrawn while queued
        notifier->show(notice("d", "D"));
        INFO("show() or withdraw() waited for the server: it was resumed after the deadline");
        REQUIRE_FALSE(watchdog.done());
    }
    server.resume();

    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() >= 3; }));
    std::vector<std::string> shown;
    for (const auto& c : server.calls()) shown.push_back(c.method + " " + c.summary);
    CHECK(shown == std::vector<std::string>{"Notify A", "Notify B", "Notify D"});

    // A normal stop closes what is still on screen (a, b and d) and ends the thread.
    notifier.reset();
    CHECK(wait_until([] { return notifier_threads() == 0; }));
    std::vector<guint32> closed;
    for (const auto& c : server.calls_of("CloseNotification")) closed.push_back(c.id);
    std::sort(closed.begin(), closed.end());
    CHECK(closed == std::vector<guint32>{1, 2, 3});
}

TEST_CASE("a server that stops answering gets only the latest showing of each reminder when it answers again",
          "[notifier]") {
    MockServer server;
    MainContext main;
    std::optional<DesktopNotifier> notifier;
    notifier.emplace([](const std::vector<std::string>&, Answer) {});
    await_server_seen(server);
    notifier->show(notice("b", "B on screen"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));

    server.pause();  // a minute of reminders while the server is stopped, in short
    {
        Watchdog watchdog(server);
        notifier->show(notice("a", "A1"));  // the thread waits in this call for the held server
        for (const char* title : {"A2", "A3", "A4"}) notifier->show(notice("a", title));
        notifier->show(notice("b", "B again"));
        notifier->withdraw("b");  // answered meanwhile (limberctl done)
        Notice both = notice("a", "A and C");
        both.names = {"a", "c"};
        notifier->show(both);
        notifier->show(notice("c", "C alone"));  // c again, but a is still only in "A and C"
        REQUIRE_FALSE(watchdog.done());
    }
    server.resume();
    notifier->show(notice("z", "Z"));  // the last: once it arrives, everything before it was sent
    REQUIRE(wait_until([&] {
        const auto calls = server.calls_of("Notify");
        return !calls.empty() && calls.back().summary == "Z";
    }));

    std::vector<std::string> calls;
    for (const auto& c : server.calls()) calls.push_back(c.method + " " + c.summary + " " + std::to_string(c.id));
    // The thread takes one showing of a into the held server's call: A1, or a later one when it woke
    // only after more had queued (those before it are stale by then: seen with A4 under ASan), or
    // none when it woke after "A and C". "A and C" replaces it in place, or is notification 2 itself.
    const std::vector<std::string> in_flight{"Notify A1 2", "Notify A2 2", "Notify A3 2", "Notify A4 2"};
    if (calls.size() > 1 && std::find(in_flight.begin(), in_flight.end(), calls[1]) != in_flight.end())
        calls.erase(calls.begin() + 1);
    // A2-A4 and "B again" are stale: never sent. b's notification from before is closed (withdrawn).
    CHECK(calls == std::vector<std::string>{"Notify B on screen 1", "CloseNotification  1", "Notify A and C 2",
                                            "Notify C alone 2", "Notify Z 3"});
}

TEST_CASE(
    "a button press, or a click on the notification (Done), reaches the handler on the thread and context that made "
    "the notifier",
    "[notifier]") {
    MockServer server;
    MainContext main;
    std::vector<Press> presses;
    DesktopNotifier notifier([&](const std::vector<std::string>& names, Answer answer) {
        presses.push_back({names, answer, std::this_thread::get_id()});
    });
    await_server_seen(server);
    notifier.show(notice("a", "A"));
    notifier.show(notice("b", "B"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 2; }));

    server.press(2, "skip");
    server.press(1, "snooze");
    REQUIRE(wait_until([&] { return presses.size() == 2; }, main.ctx));
    CHECK(presses[0].names == std::vector<std::string>{"b"});
    CHECK(presses[0].answer == Answer::skip);
    CHECK(presses[1].names == std::vector<std::string>{"a"});
    CHECK(presses[1].answer == Answer::snooze);
    // Clicking the notification itself (its default action) is Done.
    const auto call = server.calls_of("Notify").front();
    CHECK(call.has_action("default"));
    CHECK(call.has_action("done"));
    server.press(1, "default");
    REQUIRE(wait_until([&] { return presses.size() == 3; }, main.ctx));
    CHECK(presses[2].names == std::vector<std::string>{"a"});
    CHECK(presses[2].answer == Answer::done);
    for (const auto& p : presses) CHECK(p.thread == std::this_thread::get_id());
}

TEST_CASE(
    "a close by the server reaches the closed handler with its reason; closes limberd made or that follow a "
    "press do not",
    "[notifier]") {
    MockServer server;
    MainContext main;
    std::vector<std::string> heard;  // "a dismissed", "press d": in the order the handlers ran
    DesktopNotifier notifier(
        [&](const std::vector<std::string>& names, Answer) { heard.push_back("press " + names.front()); },
        [&](const std::vector<std::string>& names, CloseReason reason) {
            const char* word = reason == CloseReason::expired     ? "expired"
                               : reason == CloseReason::dismissed ? "dismissed"
                               : reason == CloseReason::by_limber ? "by_limber"
                                                                  : "undefined";
            std::string joined;
            for (const auto& n : names) joined += (joined.empty() ? "" : "+") + n;
            heard.push_back(joined + " " + word);
        });
    await_server_seen(server);
    Notice merged = notice("a", "A and X");
    merged.names = {"a", "x"};
    notifier.show(merged);            // 1
    notifier.show(notice("b", "B"));  // 2
    notifier.show(notice("c", "C"));  // 3
    notifier.show(notice("d", "D"));  // 4
    notifier.show(notice("e", "E"));  // 5
    notifier.show(notice("f", "F"));  // 6
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 6; }));

    server.close(1, 2);  // the person closed it: both reminders in it
    server.close(2, 1);  // expired
    server.close(3, 3);  // closed by a call: limberd's own doing
    server.press(4, "done");
    server.close(4, 2);  // the server closes it after the press: already answered
    notifier.withdraw("e");
    REQUIRE(wait_until([&] { return server.calls_of("CloseNotification").size() == 1; }));
    server.close(5, 2);       // a close of one limberd withdrew, arriving late: not an answer
    server.close(6, 4);       // no reason given
    server.press(6, "skip");  // closed already: nothing holds f any more, so no press either
    notifier.show(notice("z", "Z"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 7; }));
    server.press(7, "snooze");  // the last signal: once heard, every one before it was handled
    REQUIRE(wait_until([&] { return !heard.empty() && heard.back() == "press z"; }, main.ctx));
    CHECK(heard == std::vector<std::string>{"a+x dismissed", "b expired", "press d", "f undefined", "press z"});

    // A reminder whose notification the server closed is shown in a new one, not replaced into the old.
    notifier.show(notice("b", "B again"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 8; }));
    CHECK(server.calls_of("Notify").back().id == 8);
}

TEST_CASE("a press not yet delivered when the notifier goes is dropped", "[notifier]") {
    MockServer server;
    MainContext main;
    int presses = 0;
    std::optional<DesktopNotifier> notifier;
    notifier.emplace([&](const std::vector<std::string>&, Answer) { ++presses; });
    await_server_seen(server);
    notifier->show(notice("a", "A"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));

    server.press(1, "done");
    // The press is queued on the main context (not run: nothing iterates it here) …
    REQUIRE(wait_until([&] { return g_main_context_pending(main.ctx) != FALSE; }));
    notifier.reset();
    // … and the handler must not run once its notifier (and, in limberd, the daemon) is gone.
    wait_until([&] { return g_main_context_pending(main.ctx) == FALSE; }, main.ctx);
    CHECK(presses == 0);
}

TEST_CASE("an exception from the press handler is logged, not thrown through GLib", "[notifier]") {
    daemon_log();
    MockServer server;
    MainContext main;
    int presses = 0;
    DesktopNotifier notifier([&](const std::vector<std::string>&, Answer) {
        ++presses;
        throw std::runtime_error("the handler broke");
    });
    await_server_seen(server);
    notifier.show(notice("a", "A"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));
    server.press(1, "done");
    server.press(1, "skip");
    REQUIRE(wait_until([&] { return presses == 2; }, main.ctx));
    CHECK(logged("the notification button handler failed: the handler broke; this is a bug"));
}

TEST_CASE("a notifier stuck on a server that stopped answering is left behind, and finishes once it answers",
          "[notifier]") {
    MockServer server;
    MainContext main;
    std::optional<DesktopNotifier> notifier;
    notifier.emplace([](const std::vector<std::string>&, Answer) {});
    await_server_seen(server);
    notifier->show(notice("a", "A"));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));

    server.pause();
    notifier->show(notice("b", "B"));  // the thread waits for the held server (libnotify: up to 25 s)
    {
        Watchdog watchdog(server);
        notifier.reset();  // gives up on the thread after its bound
        INFO("the notifier's destructor waited for the server: it was resumed after the deadline");
        REQUIRE_FALSE(watchdog.done());
    }
    server.resume();
    // The thread left behind finishes its queue (b), closes what it showed, and ends.
    REQUIRE(wait_until([] { return notifier_threads() == 0; }));
    const auto calls = server.calls();
    REQUIRE(calls.size() == 4);
    CHECK(calls[1].summary == "B");
    CHECK(calls[2].method == "CloseNotification");
    CHECK(calls[3].method == "CloseNotification");
}

TEST_CASE("an exception from the deadline timer's callback is logged, not thrown through GLib", "[notifier]") {
    daemon_log();
    MainContext main;
    int fired = 0;
    limber::adapters::DeadlineTimer timer([&] {
        ++fired;
        throw std::runtime_error("the timer callback broke");
    });
    timer.arm(limber::core::Instant{});  // long past
    REQUIRE(wait_until([&] { return fired == 1; }, main.ctx));
    CHECK(logged("the deadline timer failed: the timer callback broke; this is a bug"));
}

TEST_CASE("every kind is sent with limber's own icon, by name and as the file in the build tree", "[notifier]") {
    MockServer server;
    MainContext main;
    DesktopNotifier notifier([](const std::vector<std::string>&, Answer) {});
    await_server_seen(server);
    for (std::size_t i = 0; i < limber::core::kind_names.size(); ++i) {
        Notice n = notice(std::string(limber::core::kind_names[i]), "T");
        n.kind = static_cast<limber::core::Kind>(i);
        notifier.show(n);
    }
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == limber::core::kind_names.size(); }));
    const auto calls = server.calls_of("Notify");
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const std::string kind(limber::core::kind_names[i]);
        INFO(kind);
        CHECK(calls[i].app_icon == "limber-" + kind);
        // The bare build run (tests/test_notifier beside build/share) finds the copy in the build tree.
        const auto file = std::filesystem::canonical(LIMBER_BUILD_ICON_DIR) / ("limber-" + kind + ".svg");
        CHECK(calls[i].image_path == file.string());
        CHECK(std::filesystem::is_regular_file(calls[i].image_path));
    }
}

TEST_CASE("urgency and expiry per server: every reminder pops up, a break stays until answered", "[notifier]") {
    using limber::core::Urgency;
    struct Expect {
        const char* server;
        int low_nudge;      // the urgency a low nudge is sent with
        int break_urgency;  // and a normal break
        int break_expire;
    };
    // GNOME Shell shows no banner for low (Plasma 5.27 does: tests/e2e/test_plasma.py); GNOME ignores expiry
    // and keeps only critical banners up.
    for (const Expect& e : {Expect{"gnome-shell", 1, 2, -1}, Expect{"Plasma", 0, 1, 0}, Expect{"dunst", 0, 1, 0},
                            Expect{"mako", 0, 1, 0}, Expect{"Xfce Notify Daemon", 0, 1, 0},
                            Expect{"Notification Daemon", 0, 1, 0}, Expect{"mock-notify", 0, 1, 0}}) {
        INFO(e.server);
        MockServer server(e.server);
        MainContext main;
        DesktopNotifier notifier([](const std::vector<std::string>&, Answer) {});
        await_server_seen(server);
        notifier.show(nudge(Urgency::low));
        notifier.show(a_break(90s));
        REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 2; }));
        notifier.show(nudge(Urgency::critical));  // replaces the first: same reminder
        REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 3; }));
        const auto calls = server.calls_of("Notify");
        CHECK(calls[0].urgency == e.low_nudge);
        CHECK(calls[0].expire == -1);
        CHECK_FALSE(calls[0].resident);
        // notification-daemon says a nudge expired (NotificationClosed 1) only when it is transient.
        const bool nd = std::string(e.server) == "Notification Daemon";
        CHECK(calls[0].transient == nd);
        CHECK(calls[2].transient == nd);
        CHECK_FALSE(calls[1].transient);  // a break waits for its answer: it never expires
        CHECK(calls[1].urgency == e.break_urgency);
        CHECK(calls[1].expire == e.break_expire);
        CHECK(calls[1].resident);
        CHECK(calls[1].body == "message of stretch\nA 1 min 30 s break: Done starts it.");
        CHECK(calls[2].urgency == 2);  // the profile's critical is kept everywhere
        CHECK(calls[2].id == calls[0].id);
        CHECK_FALSE(calls[2].resident);  // hints of the earlier showing are not left behind
    }
}

TEST_CASE("Done on a break counts it down in the same notification, with progress where the server draws it",
          "[notifier]") {
    // xfce4-notifyd 0.7 draws a notification with `value` as its icon and a bar, without title or text.
    const std::string name = GENERATE("dunst", "mako", "gnome-shell", "Xfce Notify Daemon", "Notification Daemon");
    const bool progress = name == "dunst" || name == "mako";
    INFO(name);
    MockServer server(name);
    MainContext main;
    int presses = 0;
    std::optional<DesktopNotifier> notifier;
    notifier.emplace([&](const std::vector<std::string>&, Answer) { ++presses; });
    await_server_seen(server);
    notifier->show(a_break(2s));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));
    server.press(1, "done");
    REQUIRE(wait_until([&] { return presses == 1; }, main.ctx));
    notifier->withdraw("stretch");  // the answer's outcome, as limberd sends it: the count-down goes on
    REQUIRE(wait_until([&] {
        const auto calls = server.calls_of("Notify");
        return !calls.empty() && calls.back().summary == "Break over";
    }));
    const auto calls = server.calls_of("Notify");
    std::vector<std::string> bodies;
    for (const auto& c : calls) {
        bodies.push_back(c.body);
        CHECK(c.id == 1);  // one notification throughout
        CHECK(c.image_path.find("limber-stretch.svg") != std::string::npos);
    }
    CHECK(bodies == std::vector<std::string>{"message of stretch\nA 2 s break: Done starts it.", "Break: 2 s left.",
                                             "Break: 1 s left.", "Time to stretch: done. Back to work, gently."});
    CHECK(calls[1].actions.empty());  // nothing to answer while the break runs
    CHECK(calls[1].expire == 0);      // on screen while it lasts
    CHECK(calls[3].expire > 0);       // "break over" goes by itself
    if (progress) {
        CHECK(calls[1].value == 0);
        CHECK(calls[2].value == 50);
        CHECK(calls[3].value == 100);
    } else {
        for (const auto& c : calls) CHECK_FALSE(c.value.has_value());
    }
    CHECK_FALSE(server.was_called("CloseNotification"));
    notifier.reset();
}

TEST_CASE("Done on a nudge starts no count-down", "[notifier]") {
    MockServer server("dunst");
    MainContext main;
    int presses = 0;
    DesktopNotifier notifier([&](const std::vector<std::string>&, Answer) { ++presses; });
    await_server_seen(server);
    notifier.show(nudge(limber::core::Urgency::normal));
    REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));
    server.press(1, "default");
    REQUIRE(wait_until([&] { return presses == 1; }, main.ctx));
    notifier.withdraw("eyes");
    REQUIRE(wait_until([&] { return server.was_called("CloseNotification"); }));
    CHECK(server.calls_of("Notify").size() == 1);
}

TEST_CASE(
    "a click on the notification is Done where the server takes it so; xfce4-notifyd, which would draw a "
    "second Done button, gets no default action",
    "[notifier]") {
    for (const char* name : {"Xfce Notify Daemon", "Notification Daemon", "gnome-shell", "dunst", "mock-notify"}) {
        INFO(name);
        MockServer server(name);
        MainContext main;
        DesktopNotifier notifier([](const std::vector<std::string>&, Answer) {});
        await_server_seen(server);
        notifier.show(nudge(limber::core::Urgency::normal));
        notifier.show(a_break(90s));
        REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 2; }));
        for (const auto& call : server.calls_of("Notify")) {
            CHECK(call.has_action("default") == (std::string(name) != "Xfce Notify Daemon"));
            CHECK(call.has_action("done"));
            CHECK(call.has_action("skip"));
        }
    }
}

TEST_CASE(
    "a withdrawn notification is taken down where CloseNotification leaves its bubble up "
    "(notification-daemon): shown once more, with nothing to answer and a short expiry",
    "[notifier]") {
    for (const char* name : {"Notification Daemon", "Xfce Notify Daemon", "dunst"}) {
        INFO(name);
        const bool nd = std::string(name) == "Notification Daemon";
        MockServer server(name);
        MainContext main;
        DesktopNotifier notifier([](const std::vector<std::string>&, Answer) {});
        await_server_seen(server);
        notifier.show(a_break(90s));
        REQUIRE(wait_until([&] { return server.calls_of("Notify").size() == 1; }));
        notifier.withdraw("stretch");
        REQUIRE(wait_until([&] { return server.was_called("CloseNotification"); }));
        const auto calls = server.calls();
        REQUIRE(calls.size() == (nd ? 3U : 2U));
        CHECK(calls.back().method == "CloseNotification");
        CHECK(calls.back().id == calls[0].id);
        if (nd) {
            const ServerCall& last = calls[1];
            CHECK(last.method == "Notify");
            CHECK(last.id == calls[0].id);  // in place of the bubble on screen
            CHECK(last.summary == calls[0].summary);
            CHECK(last.actions.empty());
            CHECK_FALSE(last.resident);
            CHECK(last.transient);
            CHECK(last.expire > 0);
            CHECK(last.expire <= 1000);
        }
    }
}
