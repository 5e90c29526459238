package io.gpuautoscaler.simulation;

import java.util.List;

/**
 * What a backtest replays on every policy: each request ({@link FleetSimulator}), or, when there are too many
 * for that, arrival counts per step served as a fluid ({@link FluidFleet}).
 */
public sealed interface Traffic {

    /** Rate curves expected to bring more requests than this are served as a fluid by default. */
    long FLUID_ABOVE_REQUESTS = 20_000_000;
    /** The fluid's step, seconds. */
    double FLUID_STEP_SECONDS = 5;

    /** How the backtest simulates. */
    enum Mode {
        /** Request by request unless a rate curve brings more than {@link #FLUID_ABOVE_REQUESTS}. */
        AUTO,
        REQUESTS,
        FLUID
    }

    long requests();

    double durationSeconds();

    /** Arrivals per second in each minute. */
    double[] perMinute(int minutes);

    /** {@code requests} or {@code fluid}. */
    String simulation();

    FleetSimulator.Result run(FleetSimulator.Config cfg, FleetSimulator.Scaler scaler);

    /** The oracle's lower bound on GPU-hours. */
    FleetSimulator.Result lowerBound(double sloSeconds, double pricePerReplicaHour);

    /** The oracle's cheapest schedule knowing the arrivals ({@link ForesightSchedule}), served as a fluid. */
    FleetSimulator.Result foresight(double sloSeconds, double attainment, double coldStartSeconds,
            double pricePerReplicaHour, long seed);

    default double meanRate() {
        return requests() / Math.max(1, durationSeconds());
    }

    default double peakMinuteRate() {
        double peak = 0;
        for (double r : perMinute((int) Math.ceil(durationSeconds() / 60) + 1)) {
            peak = Math.max(peak, r);
        }
        return peak;
    }

    /** Every request simulated. */
    record Requests(List<Request> arrivals, ReplicaModel.Calibration cal) implements Traffic {

        @Override
        public long requests() {
            return arrivals.size();
        }

        @Override
        public double durationSeconds() {
            return arrivals.isEmpty() ? 0 : arrivals.get(arrivals.size() - 1).arrivalSeconds();
        }

        @Override
        public double[] perMinute(int minutes) {
            double[] out = new double[minutes];
            for (Request r : arrivals) {
                int m = (int) (r.arrivalSeconds() / 60);
                if (m < minutes) {
                    out[m] += 1 / 60.0;
                }
            }
            return out;
        }

        @Override
        public String simulation() {
            return "requests";
        }

        @Override
        public FleetSimulator.Result run(FleetSimulator.Config cfg, FleetSimulator.Scaler scaler) {
            return FleetSimulator.run(arrivals, cal, cfg, scaler);
        }

        @Override
        public FleetSimulator.Result lowerBound(double sloSeconds, double pricePerReplicaHour) {
            return Oracle.lowerBound(arrivals, cal, sloSeconds, pricePerReplicaHour);
        }

        /** On these arrivals counted per fluid step, with a profile measured on their sizes. */
        @Override
        public FleetSimulator.Result foresight(double sloSeconds, double attainment, double coldStartSeconds,
                double pricePerReplicaHour, long seed) {
            return new Fluid(FluidFleet.Load.fromRequests(arrivals, FLUID_STEP_SECONDS), ReplicaProfile.measure(cal,
                    arrivals, Backtest.PROFILE_REPLICAS, 1, seed), cal).foresight(sloSeconds, attainment,
                    coldStartSeconds, pricePerReplicaHour, seed);
        }
    }

    /** Counts per step, replicas as measured in their profile. */
    record Fluid(FluidFleet.Load load, ReplicaProfile profile, ReplicaModel.Calibration cal) implements Traffic {

        @Override
        public long requests() {
            return load.requests();
        }

        @Override
        public double durationSeconds() {
            return load.durationSeconds();
        }

        @Override
        public double[] perMinute(int minutes) {
            return load.perMinute(minutes);
        }

        @Override
        public String simulation() {
            return "fluid";
        }

        @Override
        public FleetSimulator.Result run(FleetSimulator.Config cfg, FleetSimulator.Scaler scaler) {
            return FluidFleet.run(load, profile, cfg, scaler);
        }

        @Override
        public FleetSimulator.Result lowerBound(double sloSeconds, double pricePerReplicaHour) {
            return Oracle.lowerBound(load, cal, sloSeconds, pricePerReplicaHour);
        }

        @Override
        public FleetSimulator.Result foresight(double sloSeconds, double attainment, double coldStartSeconds,
                double pricePerReplicaHour, long seed) {
            return ForesightSchedule.of(load, profile, sloSeconds, attainment, coldStartSeconds, pricePerReplicaHour);
        }
    }
}
