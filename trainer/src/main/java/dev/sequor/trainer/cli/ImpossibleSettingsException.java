package dev.sequor.trainer.cli;

/** The options are well formed but cannot be met with this data (e.g. an ε no noise reaches): nothing was trained. */
public final class ImpossibleSettingsException extends RuntimeException {

    public ImpossibleSettingsException(String message) {
        super(message);
    }
}
