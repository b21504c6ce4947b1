/**
 * The agent's settings for a traced run whose test counts the spans the exit flush delivers.
 *
 * - WAYMARK_SHUTDOWN_TIMEOUT 8 s instead of the default 2 s. After `process.exit()` (an exit
 *   library's or an app's signal handler, a beforeExit listener's app) or a crash, the agent
 *   can only block: it starts a Node child process that sends what is queued
 *   (src/export/sync-sender.ts), and kills it when the budget is spent. That child's start-up
 *   is most of the cost, and on a loaded machine it alone can exceed 2 s: the child is killed
 *   before its request leaves and every queued span is dropped, exactly as the bound says
 *   (measured with 8 busy loops beside the test: the child took 0.6 to 3 s; one CI run lost
 *   all 20 spans of the death/SIGINT case). These tests are about delivery; the bound itself
 *   is exit-bounded.test.ts's. 8 s stays under the runners' hang limits (runToEnd 10 s, runNode
 *   15 s), so a machine too slow even for that fails as a hang, not as lost spans.
 * - OTEL_BSP_SCHEDULE_DELAY 60 s: the spans stay queued until the exit, so the exit flush is
 *   what delivers them. With the default 5 s, an app that idles until its signal on a loaded
 *   machine can see the scheduled export start first; if the exit then cuts it off, the
 *   blocking path sends that batch again (a duplicate beats a loss, see
 *   BatchSpanProcessor.flushSync) and the test counts it twice.
 */
export const EXIT_FLUSH_ENV = { WAYMARK_SHUTDOWN_TIMEOUT: '8000', OTEL_BSP_SCHEDULE_DELAY: '60000' } as const;
