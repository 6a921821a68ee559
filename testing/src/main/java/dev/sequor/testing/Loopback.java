package dev.sequor.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Small helpers for servers the tests start on loopback. */
final class Loopback {

    private Loopback() {
    }

    /** A port nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Sleeps between polls of a starting server; an interrupt ends the wait early. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
