extension ContinuousClock.Instant {
    /// Seconds from this instant until now, as a `Double`: what rates (tokens/s, GFLOP/s) are
    /// computed from.
    public var secondsElapsed: Double {
        let elapsed = duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
