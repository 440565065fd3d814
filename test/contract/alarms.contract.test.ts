import { MemoryAlarms } from '../fakes/memory-alarms.js';
import { alarmsContract } from './suites/alarms.js';

let n = 0;
alarmsContract('memory fake', async () => {
  const alarms = new MemoryAlarms();
  return {
    alarms,
    region: 'eu-west-1',
    otherRegion: 'us-west-2',
    prefix: `contract-${++n}`,
    setAlarm: async (region, name, state, reason) => alarms.setAlarm(region, name, state, reason),
  };
}, {
  unreachable: async () => {
    const alarms = new MemoryAlarms();
    alarms.unreachable = true;
    return alarms;
  },
});
