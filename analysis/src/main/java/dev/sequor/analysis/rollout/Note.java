package dev.sequor.analysis.rollout;

/** One thing that happened in a transition, for an Event and the log. */
public record Note(RolloutEvent event, String message) {
}
