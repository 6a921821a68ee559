package dev.sequor.runtime.inference;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Where a request's answer is completed. A request that arrived on a Vert.x event loop gets its
 * answer back on that event loop, so that the work that follows (building and writing the
 * response) is spread over the event loops instead of holding up the batcher's next model run.
 * Anywhere else (a thread blocked waiting for the answer, a test) the batcher completes it itself:
 * handing it to a worker context would queue it behind the very task that waits for it.
 */
final class CompletionExecutor {

    private static final Executor DIRECT = Runnable::run;

    private CompletionExecutor() {
    }

    static Executor ofCaller() {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return DIRECT;
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
