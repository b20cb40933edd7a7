import Foundation
import Harness
import LinearAlgebra
import Model

/// `kvbench spectrum`: per layer and head, how many singular components the learned interaction
/// `W_Qᵀ W_K` and the centred logit field `Ẽ` of real text need for 90/95/99% of their energy.
enum SpectrumCommand {
    static let usage = "spectrum [--model PATH] [--text FILE]... [--suite FILE] [--context 512] [--unit query|kv] [--keys post-rope|pre-rope] [--centering full|causal] [--windows K] [--json] [--out DIR]"

    static func run(_ arguments: inout Arguments) throws -> Int32 {
        let modelPath = try arguments.value("--model")
        let textPaths = try arguments.values("--text")
        let suitePath = try arguments.value("--suite")
        let options = SpectrumOptions(
            unit: try choice(&arguments, "--unit", default: .query),
            keys: try choice(&arguments, "--keys", default: .postRope),
            centering: try choice(&arguments, "--centering", default: .full),
            context: try arguments.int("--context", default: 512, in: SpectrumOptions.contextRange),
            windows: try arguments.int("--windows", default: 1, in: SpectrumOptions.windowRange))
        let json = arguments.flag("--json")
        let outFolder = try arguments.value("--out")
        try arguments.finish()
        try options.validate()

        // A bare name is a corpus in the corpora folder, unless a file of that name is here.
        var texts: [TextPin] = textPaths.map { path in
            TextPin(file: !path.contains("/") && FileManager.default.fileExists(atPath: path) ? "./" + path : path)
        }
        var pinnedModel: ModelPin?
        if let suitePath {
            let suite = try Suite.load(path: suitePath).suite
            texts += suite.corpora
            pinnedModel = suite.model
        }
        guard !texts.isEmpty else { throw UsageError("spectrum needs --text FILE or --suite FILE") }
        let loadedTexts = try texts.map { try TextLoader.load($0) }
        try BLASRuntime.configureThreads()
        let model = try loadModel(explicitPath: modelPath, pin: pinnedModel)

        var documents: [SpectrumDocument] = []
        for text in loadedTexts {
            if !json { FileHandle.standardError.write("spectrum: \(text.name)…\n".data(using: .utf8)!) }
            let document = try SpectrumMeasurement.measure(model, text: text, options: options)
            documents.append(document)
            if !json { print(SpectrumReport.text(document)) }
            if let outFolder {
                let folder = loadedTexts.count == 1 ? outFolder : outFolder + "/" + URL(fileURLWithPath: text.name).deletingPathExtension().lastPathComponent
                try AtomicFile.write(ResultsFile.encode(document), to: folder + "/spectrum.json")
                try AtomicFile.write(Data(SpectrumHeatmap.svg(document).utf8), to: folder + "/spectrum.svg")
                if !json { print("wrote \(folder)/spectrum.json and \(folder)/spectrum.svg\n") }
            }
        }
        if json {
            let data = documents.count == 1 ? try ResultsFile.encode(documents[0]) : try ResultsFile.encode(documents)
            FileHandle.standardOutput.write(data)
        }
        return 0
    }

    /// `--name VALUE` as one of an enum's raw values, or `default`.
    private static func choice<T: RawRepresentable & CaseIterable>(_ arguments: inout Arguments, _ name: String, default value: T) throws -> T where T.RawValue == String {
        guard let raw = try arguments.value(name) else { return value }
        guard let parsed = T(rawValue: raw) else {
            throw UsageError("\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
        }
        return parsed
    }

    /// Loads the model named by `--model`, else the suite's pin, else the default model; a
    /// pinned SHA-256 must match.
    private static func loadModel(explicitPath: String?, pin: ModelPin?) throws -> SpectrumMeasurement.LoadedModel {
        let path = try ModelLocator.resolve(explicitPath ?? pin?.resolvedPath)
        let sha256 = try FileDigest.sha256(ofFileAt: path)
        if explicitPath == nil, let pin, pin.sha256 != sha256 {
            throw HarnessError("model \(path) has SHA-256 \(sha256.prefix(12))…, the suite pins \(pin.sha256.prefix(12))…; run scripts/setup.sh")
        }
        return try SpectrumMeasurement.LoadedModel.load(path: path, sha256: sha256)
    }
}
