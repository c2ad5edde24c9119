package dev.berth.daemon.api;

import dev.berth.api.types.DoctorReport;
import dev.berth.daemon.doctor.Doctor;
import dev.berth.daemon.doctor.Finding;

/** {@code GET /berth/doctor}: Berth's own path prefix, also under {@code /v1.xx/} as every route. */
final class DoctorEndpoints {
    private final Doctor doctor;

    DoctorEndpoints(Doctor doctor) {
        this.doctor = doctor;
    }

    void register(Routes routes) {
        routes.add("GET", "/berth/doctor", request -> Reply.ok(report()));
    }

    DoctorReport report() {
        return new DoctorReport(doctor.examine().stream().map(DoctorEndpoints::map).toList());
    }

    private static DoctorReport.Finding map(Finding f) {
        return new DoctorReport.Finding(f.id(), f.severity().text(), f.subject(), f.found(), f.why(), f.fix());
    }
}
