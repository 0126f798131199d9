#include <limber/adapters/ClockWatch.hpp>
#include <limber/core/Translate.hpp>

#include <limber/adapters/Guarded.hpp>

#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>

namespace limber::adapters {
namespace {

core::Duration read_clock(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return std::chrono::seconds(ts.tv_sec) +
           std::chrono::duration_cast<core::Duration>(std::chrono::nanoseconds(ts.tv_nsec));
}

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

}  // namespace

struct ClockWatch::Impl {
    int fd = -1;
    guint source = 0;
    std::unique_ptr<TimeZoneWatch> zone;
    ~Impl() {
        if (source != 0) g_source_remove(source);
        if (fd >= 0) ::close(fd);
    }
};

std::unique_ptr<daemon::PresenceSource> ClockWatch::make(const daemon::PresenceContext& context) {
    return std::make_unique<ClockWatch>(context);
}

ClockWatch::ClockWatch(const daemon::PresenceContext& context) : context_(context), impl_(std::make_unique<Impl>()) {
    impl_->fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (impl_->fd < 0) {
        log()->warn("clock: {}", core::format(core::tr("no timerfd (%s); wall-clock changes are noticed at the next "
                                                       "reminder"),
                                              std::strerror(errno)));
    } else {
        arm();
        impl_->source = g_unix_fd_add(
            impl_->fd, G_IO_IN,
            [](gint, GIOCondition, gpointer self) -> gboolean {
                guarded("the wall-clock watch", [self] { static_cast<ClockWatch*>(self)->on_cancelled(); });
                return G_SOURCE_CONTINUE;
            },
            this);
    }
    impl_->zone = std::make_unique<TimeZoneWatch>("/etc/localtime", [this] {
        log()->info("clock: {}", core::tr("the time zone changed (/etc/localtime)"));
        report();
    });
    if (!impl_->zone->watching())
        log()->debug("clock: cannot watch /etc/localtime for time-zone changes: {}", std::strerror(errno));
}

ClockWatch::~ClockWatch() = default;

bool ClockWatch::in_use() const { return impl_->fd >= 0; }

void ClockWatch::report() {
    if (context_.report) context_.report({name(), daemon::Signal::wall_clock, false, std::nullopt});
}

void ClockWatch::arm() {
    // An absolute timer at the end of time: it never expires, but the kernel cancels it when the clock is set.
    itimerspec spec{};
    spec.it_value.tv_sec = std::numeric_limits<time_t>::max() / 2;
    if (::timerfd_settime(impl_->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr) != 0)
        log()->warn("clock: {}", core::format(core::tr("cannot arm the wall-clock timer: %s"), std::strerror(errno)));
}

void ClockWatch::on_cancelled() {
    std::uint64_t expirations = 0;
    const ssize_t n = ::read(impl_->fd, &expirations, sizeof expirations);
    if (n < 0 && errno == EAGAIN) return;
    // ECANCELED: the wall clock jumped (settimeofday, NTP step, resume). Arm again and tell.
    arm();
    log()->debug("clock: the wall clock was set");
    report();
}

TimeZoneWatch::TimeZoneWatch(std::string path, std::function<void()> changed)
    : path_(std::move(path)), changed_(std::move(changed)) {
    const auto slash = path_.rfind('/');
    dir_ = slash == 0 ? "/" : path_.substr(0, slash);
    base_ = path_.substr(slash + 1);
    // Plain inotify rather than GFileMonitor, which would bring GIO's file-monitor machinery and its thread.
    fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) return;
    watch();
    source_ = g_unix_fd_add(
        fd_, G_IO_IN,
        [](gint, GIOCondition, gpointer self) -> gboolean {
            guarded("the time-zone watch", [self] { static_cast<TimeZoneWatch*>(self)->on_events(); });
            return G_SOURCE_CONTINUE;
        },
        this);
}

TimeZoneWatch::~TimeZoneWatch() {
    if (source_ != 0) g_source_remove(source_);
    if (fd_ >= 0) ::close(fd_);
}

void TimeZoneWatch::watch() {
    // The file itself, never followed: a link replaced by rename drops to no links (IN_ATTRIB, then
    // IN_DELETE_SELF), a file written in place is closed after writing, a moved one moves.
    file_watch_ = ::inotify_add_watch(fd_, path_.c_str(),
                                      IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF | IN_DONT_FOLLOW);
    if (file_watch_ >= 0) {
        if (dir_watch_ >= 0) ::inotify_rm_watch(fd_, dir_watch_);
        dir_watch_ = -1;
        return;
    }
    // No file (yet): the directory, for the name alone, until it is there.
    if (dir_watch_ < 0) dir_watch_ = ::inotify_add_watch(fd_, dir_.c_str(), IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
}

void TimeZoneWatch::on_events() {
    alignas(inotify_event) char buffer[4096];
    bool changed = false;
    for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;) {
        for (char* p = buffer; p < buffer + n;) {
            const auto* event = reinterpret_cast<const inotify_event*>(p);
            if (event->wd == file_watch_ && file_watch_ >= 0 && (event->mask & IN_IGNORED) == 0) changed = true;
            if (event->wd == dir_watch_ && dir_watch_ >= 0 && event->len > 0 && base_ == event->name) changed = true;
            p += sizeof(inotify_event) + event->len;
        }
    }
    if (!changed) return;
    // The old file's watch goes (it may be gone already: then the kernel dropped it), and the file now
    // at the path is watched: a replaced link is a new inode.
    if (file_watch_ >= 0) ::inotify_rm_watch(fd_, file_watch_);
    file_watch_ = -1;
    watch();
    changed_();
}

core::Duration ClockWatch::slept() { return sleep_.slept(); }

SleepMeter::Reader SleepMeter::system_clocks() {
    return [](Clock c) { return read_clock(c == Clock::boottime ? CLOCK_BOOTTIME : CLOCK_MONOTONIC); };
}

SleepMeter::SleepMeter(Reader read) : read_(std::move(read)), offset_(offset()) {}

core::Duration SleepMeter::offset() const {
    // BOOTTIME - MONOTONIC, which grows only while the machine is suspended. MONOTONIC is read between
    // two BOOTTIME reads and compared with their middle: jitter stays in microseconds.
    const core::Duration b0 = read_(Clock::boottime);
    const core::Duration m = read_(Clock::monotonic);
    const core::Duration b1 = read_(Clock::boottime);
    return b0 + (b1 - b0) / 2 - m;
}

core::Duration SleepMeter::slept() {
    const core::Duration now = offset();
    const core::Duration grown = now - offset_;
    offset_ = now;
    // Below a millisecond is reading jitter, not sleep.
    return grown > std::chrono::milliseconds(1) ? grown : core::Duration::zero();
}

}  // namespace limber::adapters
