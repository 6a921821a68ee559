package dev.sequor.analysis.privacy;

/** No amount of noise reaches the asked ε with these data, steps and δ. */
public class UnreachableEpsilonException extends IllegalArgumentException {

    public UnreachableEpsilonException(String message) {
        super(message);
    }
}
