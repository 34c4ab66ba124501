
#include "objects.h"
#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include "randomkit.h"
#include<vector>
#include<iostream>
#include<fstream>

namespace brian {

std::vector< rk_state* > _mersenne_twister_states;

//////////////// networks /////////////////
Network magicnetwork;

//////////////// arrays ///////////////////
double * _array_defaultclock_dt;
const int _num__array_defaultclock_dt = 1;
double * _array_defaultclock_t;
const int _num__array_defaultclock_t = 1;
int64_t * _array_defaultclock_timestep;
const int _num__array_defaultclock_timestep = 1;
int32_t * _array_neurongroup__spikespace;
const int _num__array_neurongroup__spikespace = 52;
double * _array_neurongroup_h;
const int _num__array_neurongroup_h = 51;
int32_t * _array_neurongroup_i;
const int _num__array_neurongroup_i = 51;
double * _array_neurongroup_I_amp;
const int _num__array_neurongroup_I_amp = 51;
double * _array_neurongroup_lastspike;
const int _num__array_neurongroup_lastspike = 51;
double * _array_neurongroup_m;
const int _num__array_neurongroup_m = 51;
double * _array_neurongroup_n;
const int _num__array_neurongroup_n = 51;
char * _array_neurongroup_not_refractory;
const int _num__array_neurongroup_not_refractory = 51;
double * _array_neurongroup_v;
const int _num__array_neurongroup_v = 51;
int32_t * _array_spikemonitor__source_idx;
const int _num__array_spikemonitor__source_idx = 51;
int32_t * _array_spikemonitor_count;
const int _num__array_spikemonitor_count = 51;
int32_t * _array_spikemonitor_N;
const int _num__array_spikemonitor_N = 1;

//////////////// dynamic arrays 1d /////////

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////
double * _static_array__array_neurongroup_I_amp;
const int _num__static_array__array_neurongroup_I_amp = 51;

//////////////// synapses /////////////////

//////////////// clocks ///////////////////
Clock defaultclock;  // attributes will be set in run.cpp

// Profiling information for each code object
}

void _init_arrays()
{
	using namespace brian;

    // Arrays initialized to 0
	_array_defaultclock_dt = new double[1];
    
	for(int i=0; i<1; i++) _array_defaultclock_dt[i] = 0;

	_array_defaultclock_t = new double[1];
    
	for(int i=0; i<1; i++) _array_defaultclock_t[i] = 0;

	_array_defaultclock_timestep = new int64_t[1];
    
	for(int i=0; i<1; i++) _array_defaultclock_timestep[i] = 0;

	_array_neurongroup__spikespace = new int32_t[52];
    
	for(int i=0; i<52; i++) _array_neurongroup__spikespace[i] = 0;

	_array_neurongroup_h = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_h[i] = 0;

	_array_neurongroup_i = new int32_t[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_i[i] = 0;

	_array_neurongroup_I_amp = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_I_amp[i] = 0;

	_array_neurongroup_lastspike = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_lastspike[i] = 0;

	_array_neurongroup_m = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_m[i] = 0;

	_array_neurongroup_n = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_n[i] = 0;

	_array_neurongroup_not_refractory = new char[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_not_refractory[i] = 0;

	_array_neurongroup_v = new double[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_v[i] = 0;

	_array_spikemonitor__source_idx = new int32_t[51];
    
	for(int i=0; i<51; i++) _array_spikemonitor__source_idx[i] = 0;

	_array_spikemonitor_count = new int32_t[51];
    
	for(int i=0; i<51; i++) _array_spikemonitor_count[i] = 0;

	_array_spikemonitor_N = new int32_t[1];
    
	for(int i=0; i<1; i++) _array_spikemonitor_N[i] = 0;


	// Arrays initialized to an "arange"
	_array_neurongroup_i = new int32_t[51];
    
	for(int i=0; i<51; i++) _array_neurongroup_i[i] = 0 + i;

	_array_spikemonitor__source_idx = new int32_t[51];
    
	for(int i=0; i<51; i++) _array_spikemonitor__source_idx[i] = 0 + i;


	// static arrays
	_static_array__array_neurongroup_I_amp = new double[51];

	// Random number generator states
	for (int i=0; i<1; i++)
	    _mersenne_twister_states.push_back(new rk_state());
}

void _load_arrays()
{
	using namespace brian;

	ifstream f_static_array__array_neurongroup_I_amp;
	f_static_array__array_neurongroup_I_amp.open("static_arrays/_static_array__array_neurongroup_I_amp", ios::in | ios::binary);
	if(f_static_array__array_neurongroup_I_amp.is_open())
	{
		f_static_array__array_neurongroup_I_amp.read(reinterpret_cast<char*>(_static_array__array_neurongroup_I_amp), 51*sizeof(double));
	} else
	{
		std::cout << "Error opening static array _static_array__array_neurongroup_I_amp." << endl;
	}
}

void _write_arrays()
{
	using namespace brian;

	ofstream outfile__array_defaultclock_dt;
	outfile__array_defaultclock_dt.open("results/_array_defaultclock_dt_1978099143", ios::binary | ios::out);
	if(outfile__array_defaultclock_dt.is_open())
	{
		outfile__array_defaultclock_dt.write(reinterpret_cast<char*>(_array_defaultclock_dt), 1*sizeof(_array_defaultclock_dt[0]));
		outfile__array_defaultclock_dt.close();
	} else
	{
		std::cout << "Error writing output file for _array_defaultclock_dt." << endl;
	}
	ofstream outfile__array_defaultclock_t;
	outfile__array_defaultclock_t.open("results/_array_defaultclock_t_2669362164", ios::binary | ios::out);
	if(outfile__array_defaultclock_t.is_open())
	{
		outfile__array_defaultclock_t.write(reinterpret_cast<char*>(_array_defaultclock_t), 1*sizeof(_array_defaultclock_t[0]));
		outfile__array_defaultclock_t.close();
	} else
	{
		std::cout << "Error writing output file for _array_defaultclock_t." << endl;
	}
	ofstream outfile__array_defaultclock_timestep;
	outfile__array_defaultclock_timestep.open("results/_array_defaultclock_timestep_144223508", ios::binary | ios::out);
	if(outfile__array_defaultclock_timestep.is_open())
	{
		outfile__array_defaultclock_timestep.write(reinterpret_cast<char*>(_array_defaultclock_timestep), 1*sizeof(_array_defaultclock_timestep[0]));
		outfile__array_defaultclock_timestep.close();
	} else
	{
		std::cout << "Error writing output file for _array_defaultclock_timestep." << endl;
	}
	ofstream outfile__array_neurongroup__spikespace;
	outfile__array_neurongroup__spikespace.open("results/_array_neurongroup__spikespace_3522821529", ios::binary | ios::out);
	if(outfile__array_neurongroup__spikespace.is_open())
	{
		outfile__array_neurongroup__spikespace.write(reinterpret_cast<char*>(_array_neurongroup__spikespace), 52*sizeof(_array_neurongroup__spikespace[0]));
		outfile__array_neurongroup__spikespace.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup__spikespace." << endl;
	}
	ofstream outfile__array_neurongroup_h;
	outfile__array_neurongroup_h.open("results/_array_neurongroup_h_3940794646", ios::binary | ios::out);
	if(outfile__array_neurongroup_h.is_open())
	{
		outfile__array_neurongroup_h.write(reinterpret_cast<char*>(_array_neurongroup_h), 51*sizeof(_array_neurongroup_h[0]));
		outfile__array_neurongroup_h.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_h." << endl;
	}
	ofstream outfile__array_neurongroup_i;
	outfile__array_neurongroup_i.open("results/_array_neurongroup_i_2649026944", ios::binary | ios::out);
	if(outfile__array_neurongroup_i.is_open())
	{
		outfile__array_neurongroup_i.write(reinterpret_cast<char*>(_array_neurongroup_i), 51*sizeof(_array_neurongroup_i[0]));
		outfile__array_neurongroup_i.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_i." << endl;
	}
	ofstream outfile__array_neurongroup_I_amp;
	outfile__array_neurongroup_I_amp.open("results/_array_neurongroup_I_amp_1465605344", ios::binary | ios::out);
	if(outfile__array_neurongroup_I_amp.is_open())
	{
		outfile__array_neurongroup_I_amp.write(reinterpret_cast<char*>(_array_neurongroup_I_amp), 51*sizeof(_array_neurongroup_I_amp[0]));
		outfile__array_neurongroup_I_amp.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_I_amp." << endl;
	}
	ofstream outfile__array_neurongroup_lastspike;
	outfile__array_neurongroup_lastspike.open("results/_array_neurongroup_lastspike_1647074423", ios::binary | ios::out);
	if(outfile__array_neurongroup_lastspike.is_open())
	{
		outfile__array_neurongroup_lastspike.write(reinterpret_cast<char*>(_array_neurongroup_lastspike), 51*sizeof(_array_neurongroup_lastspike[0]));
		outfile__array_neurongroup_lastspike.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_lastspike." << endl;
	}
	ofstream outfile__array_neurongroup_m;
	outfile__array_neurongroup_m.open("results/_array_neurongroup_m_2592683417", ios::binary | ios::out);
	if(outfile__array_neurongroup_m.is_open())
	{
		outfile__array_neurongroup_m.write(reinterpret_cast<char*>(_array_neurongroup_m), 51*sizeof(_array_neurongroup_m[0]));
		outfile__array_neurongroup_m.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_m." << endl;
	}
	ofstream outfile__array_neurongroup_n;
	outfile__array_neurongroup_n.open("results/_array_neurongroup_n_58745891", ios::binary | ios::out);
	if(outfile__array_neurongroup_n.is_open())
	{
		outfile__array_neurongroup_n.write(reinterpret_cast<char*>(_array_neurongroup_n), 51*sizeof(_array_neurongroup_n[0]));
		outfile__array_neurongroup_n.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_n." << endl;
	}
	ofstream outfile__array_neurongroup_not_refractory;
	outfile__array_neurongroup_not_refractory.open("results/_array_neurongroup_not_refractory_1422681464", ios::binary | ios::out);
	if(outfile__array_neurongroup_not_refractory.is_open())
	{
		outfile__array_neurongroup_not_refractory.write(reinterpret_cast<char*>(_array_neurongroup_not_refractory), 51*sizeof(_array_neurongroup_not_refractory[0]));
		outfile__array_neurongroup_not_refractory.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_not_refractory." << endl;
	}
	ofstream outfile__array_neurongroup_v;
	outfile__array_neurongroup_v.open("results/_array_neurongroup_v_283966581", ios::binary | ios::out);
	if(outfile__array_neurongroup_v.is_open())
	{
		outfile__array_neurongroup_v.write(reinterpret_cast<char*>(_array_neurongroup_v), 51*sizeof(_array_neurongroup_v[0]));
		outfile__array_neurongroup_v.close();
	} else
	{
		std::cout << "Error writing output file for _array_neurongroup_v." << endl;
	}
	ofstream outfile__array_spikemonitor__source_idx;
	outfile__array_spikemonitor__source_idx.open("results/_array_spikemonitor__source_idx_1477951789", ios::binary | ios::out);
	if(outfile__array_spikemonitor__source_idx.is_open())
	{
		outfile__array_spikemonitor__source_idx.write(reinterpret_cast<char*>(_array_spikemonitor__source_idx), 51*sizeof(_array_spikemonitor__source_idx[0]));
		outfile__array_spikemonitor__source_idx.close();
	} else
	{
		std::cout << "Error writing output file for _array_spikemonitor__source_idx." << endl;
	}
	ofstream outfile__array_spikemonitor_count;
	outfile__array_spikemonitor_count.open("results/_array_spikemonitor_count_598337445", ios::binary | ios::out);
	if(outfile__array_spikemonitor_count.is_open())
	{
		outfile__array_spikemonitor_count.write(reinterpret_cast<char*>(_array_spikemonitor_count), 51*sizeof(_array_spikemonitor_count[0]));
		outfile__array_spikemonitor_count.close();
	} else
	{
		std::cout << "Error writing output file for _array_spikemonitor_count." << endl;
	}
	ofstream outfile__array_spikemonitor_N;
	outfile__array_spikemonitor_N.open("results/_array_spikemonitor_N_225734567", ios::binary | ios::out);
	if(outfile__array_spikemonitor_N.is_open())
	{
		outfile__array_spikemonitor_N.write(reinterpret_cast<char*>(_array_spikemonitor_N), 1*sizeof(_array_spikemonitor_N[0]));
		outfile__array_spikemonitor_N.close();
	} else
	{
		std::cout << "Error writing output file for _array_spikemonitor_N." << endl;
	}


	// Write last run info to disk
	ofstream outfile_last_run_info;
	outfile_last_run_info.open("results/last_run_info.txt", ios::out);
	if(outfile_last_run_info.is_open())
	{
		outfile_last_run_info << (Network::_last_run_time) << " " << (Network::_last_run_completed_fraction) << std::endl;
		outfile_last_run_info.close();
	} else
	{
	    std::cout << "Error writing last run info to file." << std::endl;
	}
}

void _dealloc_arrays()
{
	using namespace brian;


	// static arrays
	if(_static_array__array_neurongroup_I_amp!=0)
	{
		delete [] _static_array__array_neurongroup_I_amp;
		_static_array__array_neurongroup_I_amp = 0;
	}
}

