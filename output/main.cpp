#include <stdlib.h>
#include "objects.h"
#include <ctime>
#include <time.h>

#include "run.h"
#include "brianlib/common_math.h"
#include "randomkit.h"

#include "code_objects/neurongroup_spike_thresholder_codeobject.h"
#include "code_objects/after_run_neurongroup_spike_thresholder_codeobject.h"
#include "code_objects/neurongroup_stateupdater_codeobject.h"
#include "code_objects/spikemonitor_codeobject.h"


#include <iostream>
#include <fstream>
#include <string>




int main(int argc, char **argv)
{
        

	brian_start();
        

	{
		using namespace brian;

		
                
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 2.5e-05;
        
                        
                        for(int i=0; i<_num__array_neurongroup_lastspike; i++)
                        {
                            _array_neurongroup_lastspike[i] = - 10000.0;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_not_refractory; i++)
                        {
                            _array_neurongroup_not_refractory[i] = true;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_v; i++)
                        {
                            _array_neurongroup_v[i] = - 0.065;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_m; i++)
                        {
                            _array_neurongroup_m[i] = 0.022083418537191025;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_h; i++)
                        {
                            _array_neurongroup_h[i] = 0.9932525096349422;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_n; i++)
                        {
                            _array_neurongroup_n[i] = 0.05182107474228339;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_neurongroup_I_amp; i++)
                        {
                            _array_neurongroup_I_amp[i] = _static_array__array_neurongroup_I_amp[i];
                        }
                        
        _array_defaultclock_timestep[0] = 0;
        _array_defaultclock_t[0] = 0.0;
        magicnetwork.clear();
        magicnetwork.add(&defaultclock, _run_neurongroup_stateupdater_codeobject);
        magicnetwork.add(&defaultclock, _run_neurongroup_spike_thresholder_codeobject);
        magicnetwork.add(&defaultclock, _run_spikemonitor_codeobject);
        magicnetwork.run(0.2, NULL, 10.0);
        _after_run_neurongroup_spike_thresholder_codeobject();
        #ifdef DEBUG
        _debugmsg_spikemonitor_codeobject();
        #endif

	}
        

	brian_end();
        

	return 0;
}