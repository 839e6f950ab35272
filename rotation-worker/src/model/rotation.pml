/*
 * The rotation protocol of rekey's rotation worker (rotation-worker/README.md, "The protocol"), as a Promela model
 * checked by Spin (rotation-worker/src/model/README.md). Two workers run the rotation requests of ONE in-place
 * credential: a request is redelivered after a crash at any step, delivered to both workers at once (a rebalance),
 * retried after a transient error; the downstream refuses a set, loses a reply or does not answer; a lease on the
 * pending record runs out at any moment (a worker paused or slow). Spin checks, in every reachable state:
 *
 *   INV    the downstream holds Vault's current value or the value of the live pending record: whoever reads the
 *          credential from Vault can log in (monitor process `invariant`);
 *   ONCE   no rotation id is committed to more than one version of the secret (asserted at each commit);
 *   VALID  a rotation that reports oldCredential=VALID leaves the downstream on Vault's current value.
 *
 * One guard of the protocol is removed by each -D flag (model/check.sh shows that Spin then finds a violation):
 *   -DNO_CAS_DELETE     the pending record is removed whatever its version (the old unconditional metadata DELETE)
 *   -DNO_LEASE_CHECK    a worker applies its value without checking that its lease still holds
 *   -DNO_FENCE          a new pending record is created without checking the tombstone's main version
 *   -DREGENERATE        a redelivered rotation generates a new value instead of reusing its own pending record
 *   -DNO_INTENT         a commit is recognised only from the current version, not from the rotation records
 *
 * Values are numbers: 1 is the initial password, every generated value is new. A Vault request or a downstream call
 * is one atomic step; a worker's steps interleave freely with the other worker's and the environment's.
 */

#define NR 2          /* rotation ids 1..NR */
#define MAXV 8        /* versions of the main secret */

#ifndef CRASHES
#define CRASHES 2     /* crashes of a worker (each followed by a redelivery) */
#endif
#ifndef DUPS
#define DUPS 1        /* requests delivered to both workers at once */
#endif
#ifndef EXPIRIES
#define EXPIRIES 2    /* leases that run out while their holder still works */
#endif
#ifndef FAULTS
#define FAULTS 2      /* downstream faults: a refused set, a lost reply, no answer */
#endif

/* the downstream: the user's password */
byte ds = 1;

/* Vault: the secret (KV v2) and its rotation records (custom metadata rekey_r_<rid> = version) */
byte mainVer = 1;
byte mainVal = 1;
byte mainRid = 0;
byte verRid[MAXV];      /* the rotation id in each version's data (never changes once written) */
byte commits[NR + 1];   /* versions that carry each rotation id */
byte intent[NR + 1];    /* rotation records, written just before the commit they name */

/* Vault: the pending path (KV v2). Its current version is a record or a tombstone; writes are check-and-set. */
byte pVer = 0;          /* current version */
bool pLive = false;     /* a record (true) or a tombstone / nothing yet (false) */
byte pRid = 0;          /* record: its rotation id */
byte pVal = 0;          /* record: its value */
byte pBase = 0;         /* record: the main version it was derived from */
byte pOwner = 0;        /* record: the run holding the lease */
bool pLease = false;    /* record: the lease still runs */
bool pOrphan = false;   /* record: its holder crashed (its lease always runs out) */
byte pAtLeast = 1;      /* tombstone: the secret is at this version or later */

/* the environment */
byte queued[NR + 1];    /* deliveries waiting (first delivery, redeliveries, retries) */
byte crashes = 0;
byte dups = 0;
byte expiries = 0;
byte faults = 0;
byte nextVal = 2;

#define INV (ds == mainVal || (pLive && ds == pVal))

/* committed(r), as a worker sees it from what it read at the start of its pass (bRid, bIntent): that version
   carries r, or a rotation record names a version that carries r */
#ifdef NO_INTENT
#define COMMITTED(r) (bRid == r)
#else
#define COMMITTED(r) (bRid == r || (bIntent[r] != 0 && verRid[bIntent[r]] == r))
#endif

/* removes the pending record of version v, leaving a tombstone that says the secret is at version `least` or later */
#ifdef NO_CAS_DELETE
#define TOMBSTONE(v, least) pVer++; pLive = false; pAtLeast = least
#else
#define TOMBSTONE(v, least) if :: pVer == v -> pVer++; pLive = false; pAtLeast = least :: else -> skip fi
#endif

/* a crash between two steps: the run's memory is gone, the request will be delivered again */
#define MAY_CRASH if :: crashes < CRASHES -> atomic { crashes++; queued[r]++ }; goto done :: true fi

active proctype invariant() {
end:
    do
    :: atomic { !INV -> assert(INV) }
    od
}

/* leases run out: the lease of a crashed holder always, a live holder's at any moment (within a budget) */
active proctype clock() {
end:
    do
    :: atomic { pLive && pLease && pOrphan -> pLease = false }
    :: atomic { pLive && pLease && !pOrphan && expiries < EXPIRIES -> expiries++; pLease = false }
    od
}

#define OK 0
#define REFUSED 1
#define LOST 2
#define UNREACHABLE 3
#define LEASE_LOST 4

proctype worker() {
    byte r;                 /* the rotation being run */
    byte me = _pid;         /* this worker, as a lease holder: its runs are one after the other, so a run that finds
                               the lease of an earlier run of its own worker finds the lease of a dead run */
    byte bVer, bVal, bRid;  /* the secret's version read at the start of the pass */
    byte bIntent[NR + 1];   /* and its rotation records */
    byte sVer, sRid, sVal, sBase, sOwner, sAtLeast;
    bool sLive, sLease;
    byte myVer;             /* the pending version this run holds */
    byte x, xRid, xBase;    /* the value it applies, its rotation (another's when adopting), its base version */
    bool adopting;
    byte answer;

    goto end_take;
done:
    /* the run is over (or crashed): nothing renews a lease it still holds, which therefore runs out */
    atomic { if :: pLive && pOwner == me -> pOrphan = true :: else -> skip fi }
end_take:
    atomic {
        if
        :: queued[1] > 0 -> queued[1]--; r = 1
        :: queued[2] > 0 -> queued[2]--; r = 2
        fi;
        if
        :: dups < DUPS -> dups++; queued[r]++   /* a rebalance also hands the request to the other worker */
        :: true
        fi;
        bVer = 0; bVal = 0; bRid = 0; bIntent[1] = 0; bIntent[2] = 0
    }

pass:
    /* what a pass knows it learns again: a pass that starts over forgets the previous one (and the model's states
       do not differ by leftovers) */
    atomic { sVer = 0; sRid = 0; sVal = 0; sBase = 0; sOwner = 0; sAtLeast = 0; sLive = false; sLease = false;
             myVer = 0; x = 0; xRid = 0; xBase = 0; answer = 0; adopting = false }
    MAY_CRASH;
    /* 1. dedupe: read the secret; a rotation committed before is finished, never run again */
    atomic { bVer = mainVer; bVal = mainVal; bRid = mainRid; bIntent[1] = intent[1]; bIntent[2] = intent[2] }
    if
    :: COMMITTED(r) ->
       atomic { sVer = pVer; sLive = pLive; sRid = pRid };
       atomic {
           if
           :: sLive && sRid == r -> TOMBSTONE(sVer, bVer)   /* a crash left the own record behind */
           :: else -> skip
           fi
       };
       goto done
    :: else
    fi;

    /* 2. prepare: read the pending path, then create, claim, adopt or wait */
    atomic { sVer = pVer; sLive = pLive; sRid = pRid; sVal = pVal; sBase = pBase; sOwner = pOwner; sLease = pLease;
             sAtLeast = pAtLeast }
    if
    :: sLive && sRid != r && COMMITTED(sRid) ->
       /* left behind by a rotation that did commit: remove it */
       atomic { TOMBSTONE(sVer, bVer) };
       goto pass
    :: sLive && !(sRid != r && COMMITTED(sRid)) && sLease && sOwner != me ->
       /* another run holds it: wait until the record changes or its lease runs out (a timer, no thread) */
       (pVer != sVer || !pLease);
       goto pass
    :: sLive && sRid != r && !COMMITTED(sRid) && (!sLease || sOwner == me) ->
       /* another rotation's abandoned record: claim it and finish that rotation first (adopt) */
       atomic {
           if
           :: pVer == sVer -> pVer++; pOwner = me; pLease = true; pOrphan = false; myVer = pVer; x = sVal; xRid = sRid;
              xBase = sBase; adopting = true
           :: else -> goto pass
           fi
       }
    :: sLive && sRid == r && (!sLease || sOwner == me) ->
       /* the own record of an earlier run (a crash, a retry): claim it */
       atomic {
           if
           :: pVer == sVer ->
              pVer++; pOwner = me; pLease = true; pOrphan = false; myVer = pVer; xRid = r; xBase = sBase;
#ifdef REGENERATE
              pVal = nextVal; nextVal++;
#endif
              x = pVal
           :: else -> goto pass
           fi
       }
    :: !sLive ->
#ifndef NO_FENCE
       /* the tombstone says the secret moved past the version this pass read: read it again */
       if
       :: sAtLeast > bVer -> goto pass
       :: else
       fi;
#endif
       /* the write-ahead record with a new value, by check-and-set on the version read */
       atomic {
           if
           :: pVer == sVer -> pVer++; pLive = true; pRid = r; pVal = nextVal; nextVal++; pBase = bVer; pOwner = me;
              pLease = true; pOrphan = false; myVer = pVer; x = pVal; xRid = r; xBase = bVer
           :: else -> goto pass
           fi
       }
    fi;

set:
    MAY_CRASH;
    /* 3. set, while the lease holds (it outlasts one downstream call, so check and call are one step here) */
    atomic {
#ifdef NO_LEASE_CHECK
        if :: true ->
#else
        if :: pVer == myVer && pLease ->
#endif
           if
           :: true -> answer = OK; ds = x
           :: faults < FAULTS -> faults++; answer = REFUSED
           :: faults < FAULTS -> faults++; answer = LOST; ds = x
           :: faults < FAULTS -> faults++; answer = UNREACHABLE
           fi
        :: else -> answer = LEASE_LOST
        fi
    }
    if
    :: answer == LEASE_LOST -> goto pass
    :: answer == LOST || answer == UNREACHABLE -> goto retry
    :: else
    fi;

    MAY_CRASH;
    /* 4. test: log in with the value */
    if
    :: ds == x
    :: ds != x && ds == bVal ->
       /* the downstream kept Vault's value: the pending value was never in force; drop it (by version) and report
          the rotation failed, oldCredential=VALID (an adopted record: go on with this rotation) */
       atomic {
           if
#ifdef NO_CAS_DELETE
           :: true -> pVer++; pLive = false; pAtLeast = xBase; assert(ds == mainVal)
#else
           :: pVer == myVer -> pVer++; pLive = false; pAtLeast = xBase; assert(ds == mainVal)
#endif
           :: else -> goto pass
           fi
       };
       if :: adopting -> adopting = false; goto pass :: else -> goto done fi
    :: ds != x && ds != bVal ->
       goto set         /* neither logs in: set the pending value again */
    fi;

    MAY_CRASH;
    /* 5. commit: the rotation record, then the value by check-and-set on the version read */
    intent[xRid] = bVer + 1;
    MAY_CRASH;
    atomic {
        if
        :: pVer == myVer && pLease && mainVer == bVer ->
           mainVer++; mainVal = x; mainRid = xRid; verRid[mainVer] = xRid; commits[xRid]++;
           assert(commits[xRid] <= 1)
        :: else -> skip
        fi
    }
    if
    :: mainRid != xRid -> goto pass     /* a conflict or a lost lease: start over; the record stays */
    :: else
    fi;
    MAY_CRASH;
    /* the record has done its work: a tombstone by check-and-set on its version */
    atomic { TOMBSTONE(myVer, bVer + 1) };
    if
    :: adopting -> adopting = false; goto pass  /* the abandoned rotation is committed: now this one */
    :: else -> goto done
    fi;

retry:
    /* a transient error: release the lease (the record stays, its value may be in force) and try again later */
    atomic {
        if :: pVer == myVer -> pLease = false :: else -> skip fi;
        queued[r]++
    }
    goto done
}

init {
    atomic {
        queued[1] = 1;
        queued[2] = 1;
        run worker();
        run worker()
    }
}
