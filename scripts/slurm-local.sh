#!/usr/bin/env bash
# A single-node SLURM cluster on localhost, for tests of `spikelab slurm` (Debian's slurm 22.05 + munge).
#   scripts/slurm-local.sh install   apt-get the packages (root)
#   scripts/slurm-local.sh start     write slurm.conf, start munge, slurmctld, slurmd; wait until the node is idle
#   scripts/slurm-local.sh stop      stop the daemons by their pid files
# No systemd and no cgroups are needed (proctrack/linuxproc, task/none).
set -euo pipefail
cmd=${1:-start}
conf=/etc/slurm/slurm.conf

install() {
  command -v sbatch >/dev/null && command -v slurmctld >/dev/null && return 0
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

start() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # RealMemory below what slurmd sees, or the node is drained "Low RealMemory"
  mem=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) * 8 / 10 ))
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
  chown -R slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm 2>/dev/null || true
  cat > "$conf" <<CONF
ClusterName=spikelab
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MailProg=/bin/true
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  /etc/init.d/munge start >/dev/null 2>&1 || true
  pgrep -x slurmctld >/dev/null || slurmctld
  pgrep -x slurmd >/dev/null || slurmd
  for _ in $(seq 1 50); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^idle'; then echo "slurm: node $host idle ($cpus CPUs)"; return 0; fi
    sleep 0.2
  done
  echo "slurm: the node did not become idle; sinfo says: $(sinfo -h 2>&1)" >&2
  return 1
}

stop() {
  for p in /run/slurmd.pid /run/slurmctld.pid; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
  done
  sleep 0.5
  rm -f /run/slurmctld.pid /run/slurmd.pid
}

"$cmd"
