#!/usr/bin/env bash
# A one-node Slurm cluster on loopback, for tests: the real daemons (munged,
# slurmctld, slurmd from Debian's packages), their state in a folder of ours.
#
#   scripts/slurm-cluster.sh start DIR   # start; then use `SLURM_CONF=DIR/slurm.conf sbatch ...`
#   scripts/slurm-cluster.sh stop DIR    # stop everything started in DIR
#
# Needs the packages slurmctld slurmd slurm-client munge (.ci/run installs
# them) and root (slurmd runs jobs as their submitter). No systemd: the
# daemons are started by hand with every file under DIR, on ports chosen free
# so that nothing collides, and stopped by PID. Starting takes a few seconds;
# `start` returns once `sinfo` shows the node idle.
set -euo pipefail

command=${1:?usage: $0 start|stop DIR}
dir=$(realpath -m "${2:?usage: $0 start|stop DIR}")

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
    if [ -f "$dir/slurm.conf" ]; then
        SLURM_CONF="$dir/slurm.conf" scontrol shutdown >/dev/null 2>&1 || true
    fi
    for pidfile in slurmd.pid slurmctld.pid munged.pid; do
        if [ -f "$dir/$pidfile" ]; then
            kill "$(cat "$dir/$pidfile")" 2>/dev/null || true
        fi
    done
    # slurmd and slurmctld exit a moment after `scontrol shutdown`.
    for _ in $(seq 50); do
        alive=0
        for pidfile in slurmd.pid slurmctld.pid munged.pid; do
            if [ -f "$dir/$pidfile" ] && kill -0 "$(cat "$dir/$pidfile")" 2>/dev/null; then
                alive=1
            fi
        done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
    done
    for pidfile in slurmd.pid slurmctld.pid munged.pid; do
        [ -f "$dir/$pidfile" ] && kill -9 "$(cat "$dir/$pidfile")" 2>/dev/null || true
    done
}

start() {
    mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
    chmod 700 "$dir/munge"
    mungekey --create --force --keyfile "$dir/munge/munge.key" >/dev/null 2>&1
    chmod 600 "$dir/munge/munge.key"
    munged --force --key-file "$dir/munge/munge.key" --socket "$dir/munge/munge.socket" \
        --pid-file "$dir/munged.pid" --log-file "$dir/munged.log" --seed-file "$dir/munge/seed"

    cpus=$(nproc)
    cat > "$dir/slurm.conf" <<EOF
ClusterName=polarsdesc-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0
MessageTimeout=10
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -i
    slurmd -N localhost
    for _ in $(seq 300); do
        if sinfo --noheader --format=%t 2>/dev/null | grep -q '^idle'; then
            return 0
        fi
        sleep 0.1
    done
    echo "the Slurm node did not become idle; logs in $dir" >&2
    tail -n 20 "$dir"/*.log >&2 || true
    stop
    return 1
}

case "$command" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
