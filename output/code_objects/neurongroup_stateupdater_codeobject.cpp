#include "code_objects/neurongroup_stateupdater_codeobject.h"
#include "objects.h"
#include "brianlib/common_math.h"
#include "brianlib/stdint_compat.h"
#include<cmath>
#include<ctime>
#include<iostream>
#include<fstream>
#include<climits>

////// SUPPORT CODE ///////
namespace {
        
    template < typename T1, typename T2 > struct _higher_type;
    template < > struct _higher_type<int,int> { typedef int type; };
    template < > struct _higher_type<int,long> { typedef long type; };
    template < > struct _higher_type<int,long long> { typedef long long type; };
    template < > struct _higher_type<int,float> { typedef float type; };
    template < > struct _higher_type<int,double> { typedef double type; };
    template < > struct _higher_type<int,long double> { typedef long double type; };
    template < > struct _higher_type<long,int> { typedef long type; };
    template < > struct _higher_type<long,long> { typedef long type; };
    template < > struct _higher_type<long,long long> { typedef long long type; };
    template < > struct _higher_type<long,float> { typedef float type; };
    template < > struct _higher_type<long,double> { typedef double type; };
    template < > struct _higher_type<long,long double> { typedef long double type; };
    template < > struct _higher_type<long long,int> { typedef long long type; };
    template < > struct _higher_type<long long,long> { typedef long long type; };
    template < > struct _higher_type<long long,long long> { typedef long long type; };
    template < > struct _higher_type<long long,float> { typedef float type; };
    template < > struct _higher_type<long long,double> { typedef double type; };
    template < > struct _higher_type<long long,long double> { typedef long double type; };
    template < > struct _higher_type<float,int> { typedef float type; };
    template < > struct _higher_type<float,long> { typedef float type; };
    template < > struct _higher_type<float,long long> { typedef float type; };
    template < > struct _higher_type<float,float> { typedef float type; };
    template < > struct _higher_type<float,double> { typedef double type; };
    template < > struct _higher_type<float,long double> { typedef long double type; };
    template < > struct _higher_type<double,int> { typedef double type; };
    template < > struct _higher_type<double,long> { typedef double type; };
    template < > struct _higher_type<double,long long> { typedef double type; };
    template < > struct _higher_type<double,float> { typedef double type; };
    template < > struct _higher_type<double,double> { typedef double type; };
    template < > struct _higher_type<double,long double> { typedef long double type; };
    template < > struct _higher_type<long double,int> { typedef long double type; };
    template < > struct _higher_type<long double,long> { typedef long double type; };
    template < > struct _higher_type<long double,long long> { typedef long double type; };
    template < > struct _higher_type<long double,float> { typedef long double type; };
    template < > struct _higher_type<long double,double> { typedef long double type; };
    template < > struct _higher_type<long double,long double> { typedef long double type; };
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_mod(T1 x, T2 y)
    {{
        return x-y*floor(1.0*x/y);
    }}
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_floordiv(T1 x, T2 y)
    {{
        return floor(1.0*x/y);
    }}
    #ifdef _MSC_VER
    #define _brian_pow(x, y) (pow((double)(x), (y)))
    #else
    #define _brian_pow(x, y) (pow((x), (y)))
    #endif

}

////// HASH DEFINES ///////



void _run_neurongroup_stateupdater_codeobject()
{
    using namespace brian;


    ///// CONSTANTS ///////////
    const double Cm = 0.009999999999999998;
const double EK = - 0.09;
const double EL = - 0.065;
const double ENa = 0.05;
const size_t _numI_amp = 51;
const int64_t N = 51;
const size_t _numdt = 1;
const double gK = 100.0;
const double gL = 1.0;
const double gNa = 500.0;
const size_t _numh = 51;
const size_t _numm = 51;
const double mV = 0.001;
const double ms = 0.001;
const size_t _numn = 51;
const size_t _numnot_refractory = 51;
const size_t _numt = 1;
const size_t _numv = 51;
    ///// POINTERS ////////////
        
    double* __restrict  _ptr_array_neurongroup_I_amp = _array_neurongroup_I_amp;
    double*   _ptr_array_defaultclock_dt = _array_defaultclock_dt;
    double* __restrict  _ptr_array_neurongroup_h = _array_neurongroup_h;
    double* __restrict  _ptr_array_neurongroup_m = _array_neurongroup_m;
    double* __restrict  _ptr_array_neurongroup_n = _array_neurongroup_n;
    char* __restrict  _ptr_array_neurongroup_not_refractory = _array_neurongroup_not_refractory;
    double*   _ptr_array_defaultclock_t = _array_defaultclock_t;
    double* __restrict  _ptr_array_neurongroup_v = _array_neurongroup_v;


    //// MAIN CODE ////////////
    // scalar code
    const size_t _vectorisation_idx = -1;
        
    const double dt = _ptr_array_defaultclock_dt[0];
    const double t = _ptr_array_defaultclock_t[0];
    const double _lio_1 = 1.0f*(- 4.0)/ms;
    const double _lio_2 = 1.0f*0.2/mV;
    const double _lio_3 = (- 27.0) * mV;
    const double _lio_4 = 1.0f*1.0/ms;
    const double _lio_5 = 1.0f*0.05555555555555555/mV;
    const double _lio_6 = (- 50.0) * mV;
    const double _lio_7 = 1.0f*1.0/(mV * ms);
    const double _lio_8 = 7.56 * mV;
    const double _lio_9 = 27.0 * mV;
    const double _lio_10 = 17.28 * mV;
    const double _lio_11 = 1.0f*0.25/mV;
    const double _lio_12 = (- 54.0) * mV;
    const double _lio_13 = 1.0f*(- 0.5)/ms;
    const double _lio_14 = 1.0f*0.025/mV;
    const double _lio_15 = (- 57.0) * mV;
    const double _lio_16 = 1.664 * mV;
    const double _lio_17 = (- 52.0) * mV;
    const double _lio_18 = 1.0f*dt/Cm;
    const int64_t _lio_19 = int_(t >= (50.0 * ms)) * int_(t < (200.0 * ms));
    const double _lio_20 = - EK;
    const double _lio_21 = - EL;
    const double _lio_22 = - ENa;


    const int _N = N;
    
    for(int _idx=0; _idx<_N; _idx++)
    {
        // vector code
        const size_t _vectorisation_idx = _idx;
                
        const double I_amp = _ptr_array_neurongroup_I_amp[_idx];
        double h = _ptr_array_neurongroup_h[_idx];
        double m = _ptr_array_neurongroup_m[_idx];
        double n = _ptr_array_neurongroup_n[_idx];
        char not_refractory = _ptr_array_neurongroup_not_refractory[_idx];
        double v = _ptr_array_neurongroup_v[_idx];
        if(!not_refractory)
            not_refractory = false || (! (v > 0.0));
        else 
            not_refractory = true || (! (v > 0.0));
        const double _h = (dt * ((1.0f*(_lio_1 * h)/(1.0 + exp(_lio_2 * (_lio_3 - v)))) + (_lio_4 * ((0.128 - (0.128 * h)) * exp(_lio_5 * (_lio_6 - v)))))) + h;
        const double _m = (dt * ((1.0f*(_lio_7 * ((- m) * (_lio_8 + (0.28 * v))))/((- 1.0) + exp(_lio_2 * (_lio_9 + v)))) + (1.0f*(_lio_7 * ((1.0 - m) * (_lio_10 + (0.32 * v))))/(1.0 - exp(_lio_11 * (_lio_12 - v)))))) + m;
        const double _n = (dt * ((_lio_13 * (n * exp(_lio_14 * (_lio_15 - v)))) + (1.0f*(_lio_7 * ((1.0 - n) * (_lio_16 + (0.032 * v))))/(1.0 - exp(_lio_2 * (_lio_17 - v)))))) + n;
        const double _v = v + (_lio_18 * ((_lio_19 * I_amp) - (((gK * ((_brian_pow(n, 4)) * (_lio_20 + v))) + (gL * (_lio_21 + v))) + (gNa * ((h * (_brian_pow(m, 3))) * (_lio_22 + v))))));
        h = _h;
        m = _m;
        n = _n;
        v = _v;
        _ptr_array_neurongroup_h[_idx] = h;
        _ptr_array_neurongroup_m[_idx] = m;
        _ptr_array_neurongroup_n[_idx] = n;
        _ptr_array_neurongroup_not_refractory[_idx] = not_refractory;
        _ptr_array_neurongroup_v[_idx] = v;

    }

}


