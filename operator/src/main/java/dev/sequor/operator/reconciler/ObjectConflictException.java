package dev.sequor.operator.reconciler;

/** An object the operator would create exists already and belongs to someone else. */
class ObjectConflictException extends RuntimeException {

    ObjectConflictException(String message) {
        super(message);
    }
}
