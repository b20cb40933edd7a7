import Foundation

/// Shows a run's progress on stderr: a redrawn bar with ETA on a terminal, a plain line at most
/// every `interval` seconds otherwise (logs, CI), so that neither floods the output.
public final class ProgressDisplay {
    private let isTerminal: Bool
    private let interval: Double
    private var lastLine = -Double.infinity
    private var drewBar = false

    public init(isTerminal: Bool = isatty(STDERR_FILENO) != 0, interval: Double = 10) {
        self.isTerminal = isTerminal
        self.interval = interval
    }

    /// Reports one finished unit.
    public func update(_ progress: ProgressUpdate) {
        let fraction = progress.total > 0 ? Double(progress.done) / Double(progress.total) : 1
        let remaining = progress.done > 0 ? progress.elapsed / Double(progress.done) * Double(progress.total - progress.done) : 0
        let status = "\(progress.done)/\(progress.total) units  window \(progress.window)  \(progress.configuration)  elapsed \(Self.duration(progress.elapsed))  ETA \(Self.duration(remaining))"
        if isTerminal {
            let width = 24
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\u{1B}[K[\(bar)] \(status)")
            drewBar = true
            if progress.done == progress.total { finish() }
        } else if progress.elapsed - lastLine >= interval || progress.done == progress.total {
            lastLine = progress.elapsed
            write("progress: \(status)\n")
        }
    }

    /// Prints a notice on its own line.
    public func notice(_ text: String) {
        finish()
        write("kvbench: \(text)\n")
    }

    /// Ends the bar's line.
    public func finish() {
        if drewBar { write("\n") }
        drewBar = false
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
