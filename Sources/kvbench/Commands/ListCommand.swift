import CompressorRegistry
import Foundation
import Harness
import KVCompression

/// `kvbench list [--json]`: every registered compressor with its one-line description and the
/// configuration keys it accepts (defaults shown as written in a spec).
enum ListCommand {
    static let usage = "list [--json]"

    /// One compressor as `--json` prints it.
    struct Entry: Encodable {
        struct Option: Encodable {
            var key: String
            /// `null` (written out, not omitted) when the key has no default.
            var `default`: String?
            var help: String

            func encode(to encoder: Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(key, forKey: .key)
                try container.encode(`default`, forKey: .default)
                try container.encode(help, forKey: .help)
            }
            private enum CodingKeys: String, CodingKey { case key, `default`, help }
        }
        var id: String
        var description: String
        var keySpace: String
        var options: [Option]

        private enum CodingKeys: String, CodingKey { case id, description, keySpace = "key_space", options }
    }

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let json = arguments.flag("--json")
        try arguments.finish()
        let entries = Registry.all.map { type in
            Entry(id: type.id, description: type.summary, keySpace: type.keySpace.rawValue,
                  options: type.options.map { Entry.Option(key: $0.key, default: $0.defaultValue, help: $0.help) })
        }
        if json {
            FileHandle.standardOutput.write(try ResultsFile.encode(entries))
        } else {
            print(text(entries), terminator: "")
        }
        return 0
    }

    /// The human-readable listing: id and description, then one indented line per option.
    static func text(_ entries: [Entry]) -> String {
        var out = ""
        let width = entries.map(\.id.count).max() ?? 0
        for entry in entries {
            out += entry.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + entry.description + "\n"
            let shown = entry.options.map { option in option.default.map { "\(option.key)=\($0)" } ?? option.key }
            let optionWidth = shown.map(\.count).max() ?? 0
            for (option, spec) in zip(entry.options, shown) {
                out += String(repeating: " ", count: width + 4) + spec.padding(toLength: optionWidth, withPad: " ", startingAt: 0)
                    + "  " + option.help + "\n"
            }
        }
        return out
    }
}
