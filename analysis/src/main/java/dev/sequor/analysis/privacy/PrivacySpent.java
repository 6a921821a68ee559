package dev.sequor.analysis.privacy;

/** An (ε, δ) guarantee, and the Rényi order whose conversion gave the smallest ε. */
public record PrivacySpent(double epsilon, double delta, double order) {
}
