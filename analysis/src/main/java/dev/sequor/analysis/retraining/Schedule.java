package dev.sequor.analysis.retraining;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A cron schedule in a time zone, with the five fields of Kubernetes CronJobs (minute hour
 * day-of-month month day-of-week), so "0 3 * * *" in Europe/Berlin is 03:00 there, summer or winter.
 */
public final class Schedule {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String cron;
    private final ZoneId zone;
    private final ExecutionTime times;

    private Schedule(String cron, ZoneId zone, ExecutionTime times) {
        this.cron = cron;
        this.zone = zone;
        this.times = times;
    }

    /** Parses; an {@link IllegalArgumentException} says what is wrong with the expression or the zone. */
    public static Schedule parse(String cron, String timeZone) {
        ZoneId zone;
        try {
            zone = timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timeZone + "'");
        }
        try {
            return new Schedule(cron, zone, ExecutionTime.forCron(PARSER.parse(cron)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cron + "' is not a five-field cron expression: " + e.getMessage());
        }
    }

    /** The first time after {@code after} (strictly), if the expression ever fires again. */
    public Optional<Instant> nextAfter(Instant after) {
        return times.nextExecution(after.atZone(zone)).map(t -> t.toInstant());
    }

    public String describe() {
        return "'" + cron + "' (" + zone.getId() + ")";
    }
}
