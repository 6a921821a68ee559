package dev.sequor.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A schedule trigger, as a CronJob's: five fields and a time zone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.cron.split(' ').filter(f, f != '').size() == 5",
        message = "spec.retraining.triggers.schedule.cron needs five fields: minute hour day-of-month month day-of-week")
public record ScheduleTriggerSpec(
        @Required
        @JsonPropertyDescription("Five-field cron: minute hour day-of-month month day-of-week, e.g. \"0 3 * * 1\".")
        @Size(min = 9, max = 128)
        String cron,

        @JsonPropertyDescription("IANA time zone the cron is read in, e.g. \"Europe/Berlin\" (default UTC).")
        @Size(max = 64)
        String timeZone) {
}
