// Writes limber's man pages from the tables --help prints from, so the two
// cannot disagree: limberctl's command table (src/ctl/Commands.cpp) and
// limberd's options (src/daemon/Options.cpp). The prose around them is a roff
// template in doc/; each line `.\" generated: WHAT` in it is replaced here.
//
//   limber-man TEMPLATE [PROFILE] > PAGE
//
// WHAT is limberctl-commands, limberctl-options, limberctl-durations, limberd-description,
// limberd-options or default-profile (the built-in profile PROFILE, verbatim).
// A build step (CMakeLists.txt) runs it; it is not installed.

#include "../src/daemon/Options.hpp"

#include <limber/ctl/Commands.hpp>

#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

/** Text as roff prints it: backslashes and minus signs escaped, no line taken for a request. */
std::string roff(std::string_view text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && (c == '.' || c == '\'')) out += "\\&";
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
        line_start = c == '\n';
    }
    return out;
}

std::string option_term(const limber::ctl::Param& p) {
    std::string term =
        p.name == "help" ? "\\fB\\-h\\fR, \\fB\\-\\-help\\fR" : "\\fB" + roff("--" + std::string(p.name)) + "\\fR";
    if (!p.metavar.empty()) term += " \\fI" + roff(p.metavar) + "\\fR";
    return term;
}

std::string item(const std::string& term, std::string_view help) { return ".TP\n" + term + "\n" + roff(help) + "\n"; }

std::string limberctl_commands() {
    std::string out;
    for (const auto& c : limber::ctl::commands()) {
        if (c.hidden) continue;
        out += ".SS \"" + roff(limber::ctl::synopsis(c)) + "\"\n";
        out += roff(c.details) + "\n";
        for (const auto& p : c.args) out += item("\\fI" + roff(p.name) + "\\fR", p.help);
        for (const auto& p : c.options) out += item(option_term(p), p.help);
    }
    return out;
}

std::string limberctl_options() {
    std::string out;
    for (const auto& p : limber::ctl::common_options()) out += item(option_term(p), p.help);
    out += item("\\fB\\-\\-version\\fR", "print the version");
    return out;
}

std::string limberd_options() {
    std::string out;
    const auto table = limber::daemon::options();
    for (const auto& o : table.options()) {
        std::string term = o->format_name();  // "--profile" or "-h [ --help ]"
        if (o->long_name() == "help") term = "-h, --help";
        std::string parameter = o->format_parameter();  // "PATH (=info)" for a default
        if (const auto paren = parameter.find(" (="); paren != std::string::npos) parameter.resize(paren);
        std::string line = "\\fB" + roff(term) + "\\fR";
        if (!parameter.empty()) line += " \\fI" + roff(parameter) + "\\fR";
        out += item(line, o->description());
    }
    return out;
}

std::string verbatim(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return ".PP\n.nf\n.RS 4\n" + roff(text.str()) + ".RE\n.fi\n";
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: limber-man TEMPLATE [PROFILE] > PAGE\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
    const std::string marker = ".\\\" generated: ";
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(marker, 0) != 0) {
            std::cout << line << "\n";
            continue;
        }
        const std::string what = line.substr(marker.size());
        if (what == "limberctl-commands")
            std::cout << limberctl_commands();
        else if (what == "limberctl-options")
            std::cout << limberctl_options();
        else if (what == "limberctl-durations")
            std::cout << roff(limber::ctl::duration_help());
        else if (what == "limberctl-overview")
            std::cout << roff(limber::ctl::overview_help());
        else if (what == "limberd-description")
            std::cout << roff(limber::daemon::description) << "\n";
        else if (what == "limberd-options")
            std::cout << limberd_options();
        else if (what == "default-profile" && argc > 2)
            std::cout << verbatim(argv[2]);
        else
            throw std::runtime_error("unknown marker: " + what);
    }
    return std::cout ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "limber-man: " << e.what() << "\n";
    return 1;
}
