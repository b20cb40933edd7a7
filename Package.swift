// swift-tools-version:6.0
// KVBench: benchmarks KV-cache compression strategies on a real LLaMA-family model.
// Layers (each a target, importing only the layers above it):
//   CBLAS → LinearAlgebra → Model → KVCompression → Plugins/* → CompressorRegistry → Harness → kvbench
import Foundation
import PackageDescription

/// Every folder under `Plugins/` is a compressor target named after the folder. Adding a
/// compressor is adding a folder: nothing here lists them by hand.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let compressorNames: [String] = {
    let dir = packageRoot.appendingPathComponent("Plugins")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return entries.filter { name in
        var isDir: ObjCBool = false
        return !name.hasPrefix(".")
            && FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDir)
            && isDir.boolValue
    }.sorted()
}()

let release: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
let jemalloc: [LinkerSetting] = [.linkedLibrary("jemalloc")]

let compressorTargets: [Target] = compressorNames.map { name in
    .target(
        name: name,
        dependencies: ["KVCompression", "LinearAlgebra"],
        path: "Plugins/\(name)",
        swiftSettings: release
    )
}

let package = Package(
    name: "KVBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kvbench", targets: ["kvbench"]),
        .library(name: "KVCompression", targets: ["KVCompression"]),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"], swiftSettings: release),
        .target(name: "Model", dependencies: ["LinearAlgebra", "CBLAS"], swiftSettings: release),
        .target(name: "KVCompression", dependencies: ["LinearAlgebra"], swiftSettings: release),
        .target(
            name: "CompressorRegistry",
            dependencies: ["KVCompression"] + compressorNames.map { .target(name: $0) },
            swiftSettings: release,
            plugins: ["RegistryGenerator"]
        ),
        .plugin(name: "RegistryGenerator", capability: .buildTool(), path: "PackagePlugins/RegistryGenerator"),
        // `swift package kvbench-gate` and `swift package leaderboard` (PackagePlugins/, never Plugins/).
        .plugin(
            name: "GateCommandPlugin",
            capability: .command(intent: .custom(verb: "kvbench-gate", description: "Gate results against a stored baseline (kvbench gate)")),
            path: "PackagePlugins/GateCommand"
        ),
        .plugin(
            name: "LeaderboardCommandPlugin",
            capability: .command(intent: .custom(verb: "leaderboard", description: "Render the leaderboard of results files (kvbench leaderboard)")),
            path: "PackagePlugins/LeaderboardCommand"
        ),
        .target(
            name: "Harness",
            dependencies: ["LinearAlgebra", "Model", "KVCompression", "CompressorRegistry"],
            swiftSettings: release
        ),
        .executableTarget(
            name: "kvbench",
            dependencies: ["Harness", "Model", "LinearAlgebra", "KVCompression", "CompressorRegistry"],
            swiftSettings: release,
            linkerSettings: jemalloc
        ),
        .target(name: "BenchmarkSupport", path: "Benchmarks/Support", swiftSettings: release),
        .executableTarget(
            name: "InferenceBenchmark",
            dependencies: ["BenchmarkSupport", "Model", "LinearAlgebra"],
            path: "Benchmarks/InferenceBenchmark",
            swiftSettings: release,
            linkerSettings: jemalloc
        ),
        .executableTarget(
            name: "HarnessBenchmark",
            dependencies: ["BenchmarkSupport", "Harness", "Model", "LinearAlgebra"],
            path: "Benchmarks/HarnessBenchmark",
            swiftSettings: release,
            linkerSettings: jemalloc
        ),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "LinearAlgebra"], exclude: ["Fixtures"]),
        .testTarget(
            name: "KVCompressionTests",
            dependencies: ["KVCompression", "CompressorRegistry", "LinearAlgebra"]
        ),
        .testTarget(
            name: "HarnessTests",
            dependencies: ["Harness", "Model", "KVCompression", "CompressorRegistry"],
            exclude: ["Fixtures"]
        ),
    ] + compressorTargets,
    swiftLanguageModes: [.v5]
)
