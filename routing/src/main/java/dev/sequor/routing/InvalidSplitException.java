package dev.sequor.routing;

import java.util.List;

/** A traffic split that must not be applied, with every problem found in it. */
public class InvalidSplitException extends RuntimeException {

    private final List<String> problems;

    public InvalidSplitException(List<String> problems) {
        super("invalid traffic split: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
