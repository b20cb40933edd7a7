import Foundation
import Model

/// `kvbench tokenize`: the token ids of a text (no BOS added, special-token text not parsed),
/// as the reference ids were produced.
enum TokenizeCommand {
    static let usage = "tokenize [--model PATH] --text FILE [--json]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let modelPath = try ModelLocator.resolve(try arguments.value("--model"))
        guard let textPath = try arguments.value("--text") else { throw UsageError("tokenize needs --text FILE") }
        let json = arguments.flag("--json")
        try arguments.finish()

        let text = try TextFile.read(textPath)
        let ids = try Tokenizer(gguf: GGUFFile(path: modelPath)).encode(text)
        let list = ids.map(String.init)
        print(json ? "[" + list.joined(separator: ",") + "]" : list.joined(separator: " "))
        return 0
    }
}
