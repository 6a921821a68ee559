package dev.sequor.trainer.cli;

/** The new model lost to the compared version offline by more than allowed: nothing was registered. */
public final class WorseThanChampionException extends RuntimeException {

    public WorseThanChampionException(String message) {
        super(message);
    }
}
