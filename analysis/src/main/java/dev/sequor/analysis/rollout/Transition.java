package dev.sequor.analysis.rollout;

import java.util.List;

/** The next state and what happened on the way, each one Event. */
public record Transition(RolloutState state, List<Note> notes) {

    public Transition {
        notes = List.copyOf(notes);
    }
}
