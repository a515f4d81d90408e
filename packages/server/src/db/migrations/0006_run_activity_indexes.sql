-- 0006_run_activity_indexes: indexes for the dashboard's counts and history and the runs page's
-- filters, so they stay fast with millions of flow runs and tens of millions of task runs.
--
-- Why this shape:
-- * The dashboard counts runs by state over a time window (POST /api/flow-runs/count-by-state,
--   /api/flow-runs/history, /api/task-runs/count-by-state). An index on (time, state type, state
--   name) answers these with an index-only scan of the window's entries: the cost follows the
--   window (at most 31 days, checked by the API), never the size of the table.
-- * Flow runs are placed in time by expected_start_time (always set, also for runs not yet started);
--   task runs by created_at (when the task was called).

create index flow_runs_window_state_idx on flow_runs (expected_start_time, state_type, state_name);
create index task_runs_window_state_idx on task_runs (created_at, state_type, state_name);
