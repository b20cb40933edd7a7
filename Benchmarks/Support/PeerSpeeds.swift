import Foundation

/// `Benchmarks/Reference/peer-speeds.json`: what the peers measured on this machine kind, so that
/// a benchmark prints its figures as ratios to them. The figures live in that file (copied from
/// the shared reference, and issue 4 for kvpress), never in code.
public struct PeerSpeeds: Decodable {
    /// Tokens per second, wall time, 2 threads.
    public struct Speed: Decodable {
        /// llama.cpp, windows of 512 with all logits computed.
        public let prefill_tokens_per_second: Double
        /// llama.cpp, greedy decoding after an 11-token prompt.
        public let decode_tokens_per_second: Double
        public let pytorch_fp32_prefill_tokens_per_second: Double
        public let pytorch_fp32_decode_tokens_per_second: Double
    }

    public let speed: Speed
    /// kvpress (PyTorch, CPU, 2 threads): seconds per configuration for 12 windows of 512 tokens
    /// of kjv_60k.txt, the first 256 compressed and the next 255 scored.
    public let kvpress_seconds_per_configuration: Double

    /// The file at `path`, or `nil` when it is missing or unreadable (the ratios are then left out).
    public static func load(_ path: String) -> PeerSpeeds? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PeerSpeeds.self, from: data)
    }
}
