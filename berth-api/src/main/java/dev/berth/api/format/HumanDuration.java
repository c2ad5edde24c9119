package dev.berth.api.format;

import java.time.Duration;

/**
 * Docker's {@code units.HumanDuration}: how {@code docker ps} words an age ("Up 5 seconds",
 * "2 hours ago"). The daemon uses it for a container's {@code Status}, the CLI for CREATED.
 */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String of(Duration d) {
        long seconds = d.toSeconds();
        long minutes = d.toMinutes();
        long hours = d.toHours();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        } else if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        } else if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
